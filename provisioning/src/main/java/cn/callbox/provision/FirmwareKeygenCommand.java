package cn.callbox.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

import cn.callbox.protocol.firmware.FirmwareKeys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code firmware keygen}: a new Ed25519 firmware signing key pair, {@code DIR/<name>.key} (PEM PKCS#8, mode 600 from
 * its first byte) and {@code DIR/<name>.pub} (PEM, mode 644). Existing files are never overwritten. The last line of
 * stdout is the public key as one base64 line.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Makes a firmware signing key pair: DIR/NAME.key (private, mode 600) and DIR/NAME.pub "
                + "(public, mode 644). Existing files are not overwritten.",
            "The private key belongs on the release signer's machine only: never on the hub, never on a box. Keep a "
                + "copy offline.",
            // one line each: help text is wrapped at dots too, which would break the setting's name
            "Prints the key id and, as the last line, the public key in base64: add it to",
            "callbox.firmware.trusted-keys on the hub (comma-separated). 'box new' hands",
            "the hub's keys to new boxes."})
final class FirmwareKeygenCommand implements Runnable {

    static final String DEFAULT_NAME = "firmware-signing";
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private final Context context;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder of the key files (made when "
            + "missing)")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = DEFAULT_NAME,
            description = "File name of the keys without .key/.pub (default: ${DEFAULT-VALUE})")
    String name = DEFAULT_NAME;

    FirmwareKeygenCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw CliException.usage("--name '" + name + "' must be letters, digits, '.', '_' or '-' (at most 64)");
        }
        Path privateFile = out.resolve(name + ".key");
        Path publicFile = out.resolve(name + ".pub");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw CliException.usage("cannot make the folder " + out + ": " + e);
        }
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw CliException.usage(file + " exists already; not overwritten (a key in use must not be lost)");
            }
        }
        KeyPair pair = generate();
        try {
            OwnerOnlyFiles.createNew(privateFile, FirmwareKeys.toPem(pair.getPrivate())
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            throw CliException.usage(privateFile + " exists already; not overwritten");
        } catch (IOException e) {
            throw CliException.usage("cannot write " + privateFile + ": " + e);
        }
        try {
            writePublic(publicFile, FirmwareKeys.toPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(privateFile);
            } catch (IOException ignored) {
                // the message below says what to do
            }
            throw CliException.usage("cannot write " + publicFile + ": " + e + "; no key was made");
        }
        String base64 = FirmwareKeys.toBase64(pair.getPublic());
        context.out().println("private key " + privateFile + " (mode 600): keep it on the release signer's machine,"
                + " never on the hub or a box");
        context.out().println("public key  " + publicFile);
        context.out().println("key id      " + FirmwareKeys.keyId(pair.getPublic()));
        context.out().println("trust it: add this line to the hub's callbox.firmware.trusted-keys (comma-separated)");
        context.out().println(base64);
    }

    /** From the context's random source (tests give a repeatable one). */
    private KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(FirmwareKeys.ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, context.random());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /** A new file, mode 644 whatever the umask. */
    private static void writePublic(Path file, byte[] content) throws IOException {
        OwnerOnlyFiles.createNew(file, content, PUBLIC);
        Files.setPosixFilePermissions(file, PUBLIC);
    }
}
