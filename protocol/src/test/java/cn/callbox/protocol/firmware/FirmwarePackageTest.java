package cn.callbox.protocol.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.protocol.firmware.FirmwarePackageException.Reason;

class FirmwarePackageTest {

    private static final Instant CREATED = Instant.parse("2026-11-29T08:00:00Z");
    private final KeyPair release = FirmwareKeys.generate();
    private final KeyPair stranger = FirmwareKeys.generate();

    @TempDir
    Path dir;

    private byte[] payload() {
        byte[] bytes = new byte[200_000];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private byte[] pack(byte[] payload, KeyPair keys) throws IOException {
        Path file = dir.resolve("payload.jar");
        Files.write(file, payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FirmwarePackage.write(FirmwarePackage.EDGE_FIRMWARE, "1.2.3", file, keys.getPrivate(), CREATED, out);
        return out.toByteArray();
    }

    private FirmwarePackage.Verified read(byte[] pkg, ByteArrayOutputStream sink, KeyPair... trusted)
            throws Exception {
        return FirmwarePackage.read(new ByteArrayInputStream(pkg),
                Arrays.stream(trusted).map(KeyPair::getPublic).toList(), sink);
    }

    private Reason refusal(byte[] pkg, KeyPair... trusted) {
        return assertThrows(FirmwarePackageException.class, () -> read(pkg, new ByteArrayOutputStream(), trusted))
                .reason();
    }

    @Test
    void aSignedPackageReadsBackItsPayloadAndManifest() throws Exception {
        byte[] payload = payload();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FirmwarePackage.Verified verified = read(pack(payload, release), sink, stranger, release);
        assertArrayEquals(payload, sink.toByteArray());
        assertEquals("1.2.3", verified.manifest().version());
        assertEquals(FirmwarePackage.EDGE_FIRMWARE, verified.manifest().name());
        assertEquals(payload.length, verified.manifest().size());
        assertEquals(CREATED, verified.manifest().created());
        assertEquals(FirmwareKeys.keyId(release.getPublic()), verified.keyId());
    }

    @Test
    void aPackageSignedByAnUntrustedKeyIsRefusedBeforeItsPayloadIsRead() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FirmwarePackageException e = assertThrows(FirmwarePackageException.class,
                () -> read(pack(payload(), stranger), sink, release));
        assertEquals(Reason.UNTRUSTED, e.reason());
        assertEquals(0, sink.size());
    }

    @Test
    void withNoTrustedKeyEveryPackageIsRefused() throws Exception {
        assertEquals(Reason.UNTRUSTED, refusal(pack(payload(), release)));
    }

    @Test
    void aChangedPayloadByteFailsTheIntegrityCheck() throws Exception {
        byte[] pkg = pack(payload(), release);
        pkg[pkg.length - 1000] ^= 1;
        assertEquals(Reason.INTEGRITY, refusal(pkg, release));
    }

    @Test
    void aChangedManifestBreaksTheSignature() throws Exception {
        byte[] pkg = pack(payload(), release);
        String text = new String(pkg, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("version=1.2.3") + "version=1.2.".length();
        pkg[at] = '4';
        assertEquals(Reason.UNTRUSTED, refusal(pkg, release));
    }

    @Test
    void truncatedAndTrailingBytesAreRefused() throws Exception {
        byte[] pkg = pack(payload(), release);
        assertEquals(Reason.INTEGRITY, refusal(Arrays.copyOf(pkg, pkg.length - 1), release));
        assertEquals(Reason.INTEGRITY, refusal(Arrays.copyOf(pkg, pkg.length + 1), release));
        assertEquals(Reason.MALFORMED, refusal(Arrays.copyOf(pkg, 20), release));
        assertEquals(Reason.MALFORMED, refusal(new byte[0], release));
    }

    @Test
    void otherFilesAndFormatsAreRefusedWithAReason() throws Exception {
        assertEquals(Reason.MALFORMED, refusal("PK\u0003\u0004 a zip file".getBytes(), release));
        byte[] pkg = pack(payload(), release);
        pkg[4] = 2;
        FirmwarePackageException e = assertThrows(FirmwarePackageException.class,
                () -> read(pkg, new ByteArrayOutputStream(), release));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
        byte[] huge = pack(payload(), release);
        huge[5] = 0x7f;
        assertEquals(Reason.MALFORMED, refusal(huge, release));
    }

    @Test
    void keysSurviveTheirTextForms(@TempDir Path keys) throws Exception {
        assertEquals(release.getPublic(), FirmwareKeys.publicKey(FirmwareKeys.toBase64(release.getPublic())));
        assertEquals(List.of(release.getPublic(), stranger.getPublic()), FirmwareKeys.publicKeys(
                FirmwareKeys.toBase64(release.getPublic()) + " , " + FirmwareKeys.toBase64(stranger.getPublic())));
        assertEquals(List.of(), FirmwareKeys.publicKeys(" "));
        Path privateFile = keys.resolve("signing.key");
        Files.writeString(privateFile, FirmwareKeys.toPem(release.getPrivate()));
        Path publicFile = keys.resolve("signing.pub");
        Files.writeString(publicFile, FirmwareKeys.toPem(release.getPublic()));
        assertEquals(release.getPublic(), FirmwareKeys.readPublicKey(publicFile));
        byte[] pkg;
        Path file = dir.resolve("p.jar");
        Files.write(file, payload());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FirmwarePackage.write("callbox-edge", "2.0.0", file, FirmwareKeys.readPrivateKey(privateFile), CREATED, out);
        pkg = out.toByteArray();
        assertEquals("2.0.0", read(pkg, new ByteArrayOutputStream(), release).manifest().version());
        assertThrows(IllegalArgumentException.class, () -> FirmwareKeys.publicKey("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> FirmwareKeys.publicKey("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> FirmwareKeys.readPrivateKey(publicFile));
        assertEquals(16, FirmwareKeys.keyId(release.getPublic()).length());
    }

    @Test
    void aManifestOutsideItsRulesCannotBeWritten() {
        assertThrows(IllegalArgumentException.class,
                () -> new FirmwarePackage.Manifest("callbox-edge", "../1", 10, "0".repeat(64), CREATED));
        assertThrows(IllegalArgumentException.class,
                () -> new FirmwarePackage.Manifest("Callbox", "1", 10, "0".repeat(64), CREATED));
        assertThrows(IllegalArgumentException.class,
                () -> new FirmwarePackage.Manifest("callbox-edge", "1", 0, "0".repeat(64), CREATED));
    }
}
