package cn.callbox.provision;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackageException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code firmware verify}: checks a package as a call box does ({@link FirmwarePackage#read}: signature against the
 * trusted keys, then the payload's size and SHA-256, and the firmware name). Exit 0 good, 1 refused (the reason on
 * stderr), 2 usage.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a firmware package as a call box does: signed by a trusted key, payload intact, a "
                + "call-box firmware. Needs no hub.",
            "Prints the package's manifest when it is good."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the package is good", "1:the package is refused (the reason is printed)",
            "2:usage or input error"})
final class FirmwareVerifyCommand implements Runnable {

    /** The package is refused. */
    static final int REFUSED = 1;

    private final Context context;

    @Option(names = "--trusted-key", paramLabel = "KEY", required = true,
            description = "A trusted public key: a .pub file, or base64 as in firmware.trusted-keys (comma-separated "
                    + "works too); may be repeated")
    List<String> trustedKeys;

    @Parameters(paramLabel = "FILE.cbfw", description = "The package")
    Path file;

    FirmwareVerifyCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        List<PublicKey> trusted = new ArrayList<>();
        for (String key : trustedKeys) {
            trusted.addAll(parse(key));
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no package " + file);
        }
        FirmwarePackage.Verified verified;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            verified = FirmwarePackage.read(in, trusted, OutputStream.nullOutputStream());
        } catch (FirmwarePackageException e) {
            throw new CliException(REFUSED, "package refused (" + wire(e.reason()) + "): " + e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e);
        }
        if (!FirmwarePackage.EDGE_FIRMWARE.equals(verified.manifest().name())) {
            throw new CliException(REFUSED, "package refused (unsupported): it holds '" + verified.manifest().name()
                    + "', a call box installs only " + FirmwarePackage.EDGE_FIRMWARE);
        }
        FirmwareCommand.printManifest(context.out(), verified.manifest(), verified.keyId());
        context.out().println("good: signed by a trusted key, payload intact");
    }

    /** A key file, or base64 (one key or a comma-separated list). */
    private static List<PublicKey> parse(String key) {
        Path path = null;
        try {
            path = Path.of(key);
        } catch (InvalidPathException e) {
            // base64 then
        }
        if (path != null && Files.isRegularFile(path)) {
            try {
                return List.of(FirmwareKeys.readPublicKey(path));
            } catch (IOException e) {
                throw CliException.usage("cannot read the key file " + key + ": " + e);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--trusted-key " + key + ": " + e.getMessage());
            }
        }
        if (key.endsWith(".pub") || key.endsWith(".pem")) {
            throw CliException.usage("--trusted-key " + key + ": no such key file");
        }
        List<PublicKey> keys;
        try {
            keys = FirmwareKeys.publicKeys(key);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--trusted-key is neither a key file nor a base64 public key: "
                    + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw CliException.usage("--trusted-key is blank");
        }
        return keys;
    }

    /** The reason as the hub's problem details name it ({@code untrusted}, {@code integrity}...). */
    static String wire(FirmwarePackageException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
