package cn.callbox.hub.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

import cn.callbox.protocol.firmware.FirmwarePackage;

/** Signed {@code .cbfw} packages made in a test, as a release signer would make them. */
final class TestPackages {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant CREATED = Instant.parse("2026-11-01T08:00:00Z");

    private TestPackages() {
    }

    /** {@code size} random bytes: a stand-in for the firmware jar. */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The call-box firmware {@code version} with the payload, signed with the key. */
    static byte[] edge(KeyPair key, String version, byte[] payload) throws IOException {
        return signed(key, FirmwarePackage.EDGE_FIRMWARE, version, payload);
    }

    static byte[] signed(KeyPair key, String name, String version, byte[] payload) throws IOException {
        Path file = Files.createTempFile("firmware-payload-", ".jar");
        try {
            Files.write(file, payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FirmwarePackage.write(name, version, file, key.getPrivate(), CREATED, out);
            return out.toByteArray();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The package with its last byte (a payload byte) flipped: the signed manifest no longer matches. */
    static byte[] flipLastByte(byte[] cbfw) {
        byte[] copy = cbfw.clone();
        copy[copy.length - 1] ^= 0x01;
        return copy;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
