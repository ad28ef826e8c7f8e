package cn.callbox.protocol.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Ed25519 firmware signing keys (the JDK's own implementation). A public key travels as one line of base64 of its
 * X.509 SubjectPublicKeyInfo (what {@code callbox.firmware.trusted-keys} on the hub and {@code firmware.trusted-keys}
 * on the box hold, comma-separated); key files are PEM ({@code PUBLIC KEY}, {@code PRIVATE KEY} = PKCS#8), which
 * {@code openssl pkey} reads too. The key id is the first 8 bytes of the SHA-256 of the public key, in hex.
 */
public final class FirmwareKeys {

    public static final String ALGORITHM = "Ed25519";

    private FirmwareKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /** One line of base64 (X.509 SubjectPublicKeyInfo DER). */
    public static String toBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, when the text is not an Ed25519 public key
     */
    public static PublicKey publicKey(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("firmware key is not base64: " + e.getMessage(), e);
        }
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("firmware key is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** A comma-separated list of base64 public keys; blank gives an empty list. */
    public static List<PublicKey> publicKeys(String commaSeparated) {
        List<PublicKey> keys = new ArrayList<>();
        if (commaSeparated == null) {
            return keys;
        }
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                keys.add(publicKey(part));
            }
        }
        return keys;
    }

    /** First 8 bytes of SHA-256 over the encoded public key, lower-case hex (16 characters). */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Reads a PEM {@code PRIVATE KEY} (PKCS#8) file.
     *
     * @throws IllegalArgumentException when the file holds no Ed25519 private key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = fromPem(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM {@code PUBLIC KEY} file, or one with a single base64 line. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN")) {
            return publicKey(text);
        }
        return publicKey(Base64.getEncoder().encodeToString(fromPem(text, "PUBLIC KEY", file)));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] fromPem(String text, String type, Path file) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(file + " is not a PEM " + type + " file");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": broken base64 in the PEM body", e);
        }
    }
}
