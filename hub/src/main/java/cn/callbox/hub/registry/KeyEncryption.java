package cn.callbox.hub.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.system.SecretFiles;

/**
 * Encrypts call boxes' pre-shared keys for the database: AES-256-GCM with a random 12-byte IV per value and the box's
 * endpoint as associated data (a sealed key copied to another box's row does not open). A sealed value is
 * {@code v1:} + base64(iv || ciphertext and tag).
 * <p>
 * The key-encryption key is {@value #ENVIRONMENT} (base64 of 32 bytes) when set, else the file
 * {@code <data-dir>/secrets/key-encryption.key} (base64, mode 600, folder mode 700), generated once from
 * {@link SecureRandom} when neither exists and the database holds no sealed key yet. Neither the key-encryption key nor
 * any device key is ever logged; {@link #toString()} names only where the key came from. Thread-safe.
 */
final class KeyEncryption {

    /** The environment variable (or Spring property) with the base64 of the 32-byte key-encryption key. */
    static final String ENVIRONMENT = "CALLBOX_KEY_ENCRYPTION_KEY";
    /** Where the generated key-encryption key is kept, under the data dir. */
    static final Path KEY_FILE = Path.of("secrets", "key-encryption.key");
    /** The prefix of a sealed value; a value without it is a plain hex key from before encryption. */
    static final String PREFIX = "v1:";

    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final SecretKeySpec key;
    private final String source;

    private KeyEncryption(byte[] key, String source) {
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("The key-encryption key from " + source + " has " + key.length
                    + " bytes; it must be base64 of exactly " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.source = source;
        Arrays.fill(key, (byte) 0);
    }

    /** A key-encryption key given as bytes (tests). */
    static KeyEncryption of(byte[] key) {
        return new KeyEncryption(key.clone(), "the caller");
    }

    /**
     * The hub's key-encryption key: from the environment, else from the key file, else a new key written to the key
     * file (only when {@code mayGenerate}).
     *
     * @param environment the value of {@value #ENVIRONMENT}; null or blank when unset
     * @param mayGenerate false when the database holds sealed keys already: a new key could not open them
     * @throws IllegalStateException when the key given is not base64 of 32 bytes, or the file is missing but
     *         {@code mayGenerate} is false; the message says what to do
     * @throws UncheckedIOException when the key file cannot be read or written
     */
    static KeyEncryption load(String environment, Path dataDir, boolean mayGenerate) {
        if (environment != null && !environment.isBlank()) {
            return new KeyEncryption(decode(environment, ENVIRONMENT), ENVIRONMENT);
        }
        Path file = dataDir.resolve(KEY_FILE).toAbsolutePath().normalize();
        if (Files.exists(file)) {
            return fromFile(file);
        }
        if (!mayGenerate) {
            throw new IllegalStateException("The database holds encrypted call-box keys but the key-encryption key is"
                    + " missing: restore " + file + " or set " + ENVIRONMENT + " to the key used before. The hub does"
                    + " not start, so that no device key is lost.");
        }
        byte[] generated = new byte[KEY_BYTES];
        RANDOM.nextBytes(generated);
        try {
            SecretFiles.createOnce(file, Base64.getEncoder().encodeToString(generated) + "\n");
        } catch (FileAlreadyExistsException e) {
            // another hub process on the same data dir was quicker: use its key
            Arrays.fill(generated, (byte) 0);
            return fromFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key-encryption key to " + file, e);
        }
        ownerOnlyFolder(file.getParent());
        LOG.info("Generated a new key-encryption key for call-box keys in {} (readable by the owner only)", file);
        return new KeyEncryption(generated, file.toString());
    }

    private static KeyEncryption fromFile(Path file) {
        try {
            ownerOnlyFolder(file.getParent());
            return new KeyEncryption(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()),
                    file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key-encryption key " + file, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The key-encryption key from " + source + " is not base64 (of "
                    + KEY_BYTES + " bytes)");
        }
    }

    private static void ownerOnlyFolder(Path dir) {
        if (dir == null || Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            }
        } catch (IOException e) {
            LOG.warn("Could not make {} readable by its owner only: {}", dir, e.toString());
        }
    }

    /** True for a value sealed by this class ({@code v1:...}), false for a plain hex key from before. */
    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /**
     * Seals a box's key for the database.
     *
     * @param endpoint the box the key belongs to (bound into the ciphertext)
     */
    String seal(String endpoint, byte[] plainKey) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, endpoint);
            byte[] sealed = cipher.doFinal(plainKey);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
        }
    }

    /**
     * The box's key from its stored value: opens a sealed value, or reads a plain hex key from before encryption.
     *
     * @throws WrongKeyException when a sealed value does not open with this key (another key-encryption key, or the
     *         value was moved to another box's row or changed)
     * @throws IllegalArgumentException when the stored value is neither sealed nor hex
     */
    byte[] open(String endpoint, String stored) {
        if (!isSealed(stored)) {
            return HexFormat.of().parseHex(stored);
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new WrongKeyException(endpoint, source);
        }
        if (all.length <= IV_BYTES) {
            throw new WrongKeyException(endpoint, source);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(all, IV_BYTES), endpoint);
            return cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new WrongKeyException(endpoint, source);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String endpoint) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(endpoint.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "KeyEncryption[AES-256-GCM, key from " + source + "]";
    }

    /** A sealed key does not open with the key-encryption key in use. */
    static final class WrongKeyException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        WrongKeyException(String endpoint, String source) {
            super("The key of call box " + endpoint + " cannot be decrypted with the key-encryption key from " + source
                    + ": it is not the key the keys were encrypted with (restore the old key file, or set "
                    + ENVIRONMENT + " to the old key)");
        }
    }
}
