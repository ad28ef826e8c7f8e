package cn.callbox.provision;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackageException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code firmware pack}: signs a {@code callbox-edge.jar} into a {@code .cbfw} package
 * ({@link FirmwarePackage#write}). The package is written to a temporary file beside FILE, read back and checked with
 * the key's public half, and only then moved to FILE: there is never a half-written package under FILE's name. The
 * last line of stdout is FILE.
 */
@Command(name = "pack",
        description = {"Signs a callbox-edge.jar into a firmware package for 'firmware upload'.",
            "The version is the jar manifest's Implementation-Version unless --version is given.",
            "Prints the package's manifest and, as the last line, FILE."})
final class FirmwarePackCommand implements Runnable {

    private final Context context;

    @Option(names = "--key", paramLabel = "KEY.key", required = true,
            description = "The private signing key (PEM, from 'firmware keygen')")
    Path key;

    @Option(names = "--jar", paramLabel = "JAR", required = true,
            description = "The firmware: a runnable callbox-edge.jar (its manifest names a Main-Class)")
    Path jar;

    @Option(names = "--version", paramLabel = "V",
            description = "Firmware version (default: the jar manifest's Implementation-Version)")
    String version;

    @Option(names = "--out", paramLabel = "FILE.cbfw", required = true, description = "The package to write")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE when it exists")
    boolean force;

    /** Not the standard help options: their {@code --version} would be the tool's, this command's is the firmware's. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    FirmwarePackCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (Files.isDirectory(out)) {
            throw CliException.usage("--out " + out + " is a folder; name the package file");
        }
        if (Files.exists(out) && !force) {
            throw CliException.usage(out + " exists already; not overwritten (--force to overwrite)");
        }
        PrivateKey privateKey = readKey();
        String packageVersion = checkJar();
        Instant created = context.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            // the version's rules are the manifest's: checked before anything is written
            new FirmwarePackage.Manifest(FirmwarePackage.EDGE_FIRMWARE, packageVersion, 1, "0".repeat(64), created);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("version '" + packageVersion + "' is not a firmware version: " + e.getMessage());
        }
        Path folder = out.toAbsolutePath().getParent();
        Path temp;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + out.getFileName(), ".tmp");
        } catch (IOException e) {
            throw CliException.usage("cannot write to the folder " + folder + ": " + e);
        }
        try {
            FirmwarePackage.Manifest manifest = write(temp, packageVersion, privateKey, created);
            String keyId = selfCheck(temp, privateKey);
            Files.setPosixFilePermissions(temp, FirmwareKeygenCommand.PUBLIC);
            OwnerOnlyFiles.moveOver(temp, out);
            FirmwareCommand.printManifest(context.out(), manifest, keyId);
            context.out().println(out);
        } catch (IOException e) {
            throw CliException.usage("cannot write the package " + out + ": " + e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover dot-file beside FILE is harmless
            }
        }
    }

    private PrivateKey readKey() {
        try {
            return FirmwareKeys.readPrivateKey(key);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no signing key " + key);
        } catch (IOException e) {
            throw CliException.usage("cannot read the signing key " + key + ": " + e);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** @return the version to sign */
    private String checkJar() {
        if (!Files.isRegularFile(jar)) {
            throw CliException.usage("no firmware jar " + jar);
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw CliException.usage(jar + " is not a jar: " + e.getMessage());
        }
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        if (main.getValue(Attributes.Name.MAIN_CLASS) == null) {
            throw CliException.usage(jar + " has no Main-Class in its manifest: it is not a runnable callbox-edge.jar");
        }
        if (version != null) {
            return version.strip();
        }
        String fromJar = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        if (fromJar == null || fromJar.isBlank()) {
            throw CliException.usage(jar + " has no Implementation-Version in its manifest: give --version V");
        }
        return fromJar.strip();
    }

    private FirmwarePackage.Manifest write(Path temp, String packageVersion, PrivateKey privateKey, Instant created)
            throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            FirmwarePackage.Manifest manifest = FirmwarePackage.write(FirmwarePackage.EDGE_FIRMWARE, packageVersion,
                    jar, privateKey, created, stream);
            stream.flush();
            channel.force(true);
            return manifest;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("cannot sign " + jar + ": " + e.getMessage());
        }
    }

    /**
     * Reads the package back as a box would, with the public half of the key.
     *
     * @return the key id
     */
    private String selfCheck(Path temp, PrivateKey privateKey) throws IOException {
        Optional<PublicKey> publicKey = publicKeyOf(privateKey);
        if (publicKey.isEmpty()) {
            throw CliException.usage("cannot work out the public half of " + key);
        }
        try (InputStream in = Files.newInputStream(temp)) {
            return FirmwarePackage.read(in, List.of(publicKey.get()), OutputStream.nullOutputStream()).keyId();
        } catch (FirmwarePackageException e) {
            throw CliException.usage("the package just written does not check out (" + e.reason() + "): "
                    + e.getMessage() + "; nothing was written to " + out);
        }
    }

    /** The public key of an Ed25519 private key: the JDK makes a key pair from the private key's 32 bytes. */
    static Optional<PublicKey> publicKeyOf(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(FirmwareKeys.ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(edec.getBytes().get()));
            return Optional.of(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Gives the generator a private key's own bytes. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("an Ed25519 private key has " + seed.length + " bytes, asked for "
                        + bytes.length);
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
