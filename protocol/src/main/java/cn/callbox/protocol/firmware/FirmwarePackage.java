package cn.callbox.protocol.firmware;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Properties;
import java.util.regex.Pattern;

import cn.callbox.protocol.firmware.FirmwarePackageException.Reason;

/**
 * A signed firmware package ({@code .cbfw}): what the hub holds and serves and what a call box downloads, checks and
 * installs. Binary layout, big-endian:
 *
 * <pre>
 * "CBFW"                 4 bytes magic
 * format                 1 byte, {@value #FORMAT}
 * manifest length        4 bytes, at most {@value #MAX_MANIFEST}
 * manifest               UTF-8 lines key=value: format, name, version, size, sha256, created
 * signature length       2 bytes, at most {@value #MAX_SIGNATURE}
 * signature              Ed25519 over "callbox-firmware-v1\n" followed by the manifest bytes
 * payload                exactly size bytes (the firmware jar), nothing after it
 * </pre>
 *
 * The signature covers the manifest, the manifest carries the payload's size and SHA-256: a reader checks the
 * signature before it reads a single payload byte, and the hash before it keeps the payload.
 */
public final class FirmwarePackage {

    public static final String FILE_SUFFIX = ".cbfw";
    public static final int FORMAT = 1;
    public static final int MAX_MANIFEST = 16 * 1024;
    public static final int MAX_SIGNATURE = 1024;
    /** Larger payloads are refused: a call-box firmware jar is a few megabytes. */
    public static final long MAX_PAYLOAD = 256L * 1024 * 1024;
    /** The name of the call-box firmware in manifests; the box installs nothing else. */
    public static final String EDGE_FIRMWARE = "callbox-edge";

    private static final byte[] MAGIC = {'C', 'B', 'F', 'W'};
    private static final byte[] SIGNING_CONTEXT = "callbox-firmware-v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+~_-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private FirmwarePackage() {
    }

    /**
     * What the signature vouches for.
     *
     * @param name firmware name, {@link #EDGE_FIRMWARE} for call boxes
     * @param size payload bytes
     * @param sha256 payload SHA-256, lower-case hex
     */
    public record Manifest(String name, String version, long size, String sha256, Instant created) {

        public Manifest {
            check(name != null && NAME.matcher(name).matches(), "name must match " + NAME + ": " + name);
            check(version != null && VERSION.matcher(version).matches(), "version must match " + VERSION + ": "
                    + version);
            check(size > 0 && size <= MAX_PAYLOAD, "size must be 1.." + MAX_PAYLOAD + ": " + size);
            check(sha256 != null && SHA256.matcher(sha256).matches(), "sha256 must be 64 lower-case hex digits");
            check(created != null, "created is missing");
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }

        /** The manifest text, keys in a fixed order. */
        public byte[] encode() {
            return ("format=" + FORMAT + "\nname=" + name + "\nversion=" + version + "\nsize=" + size + "\nsha256="
                    + sha256 + "\ncreated=" + created + "\n").getBytes(StandardCharsets.UTF_8);
        }

        static Manifest decode(byte[] bytes) throws FirmwarePackageException {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                throw new FirmwarePackageException(Reason.MALFORMED, "manifest is unreadable: " + e.getMessage());
            }
            if (!String.valueOf(FORMAT).equals(properties.getProperty("format"))) {
                throw new FirmwarePackageException(Reason.UNSUPPORTED, "manifest format "
                        + properties.getProperty("format") + " is not supported (this reader knows " + FORMAT + ")");
            }
            try {
                return new Manifest(properties.getProperty("name"), properties.getProperty("version"),
                        Long.parseLong(String.valueOf(properties.getProperty("size"))),
                        properties.getProperty("sha256"), Instant.parse(String.valueOf(properties.getProperty(
                                "created"))));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new FirmwarePackageException(Reason.MALFORMED, "manifest: " + e.getMessage());
            }
        }

        /** The manifest as properties (for a slot's {@code manifest.properties}). */
        public Properties toProperties() {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(new String(encode(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return properties;
        }
    }

    /**
     * A package whose signature and payload checked out.
     *
     * @param signer the trusted key that signed it
     */
    public record Verified(Manifest manifest, PublicKey signer) {
        public String keyId() {
            return FirmwareKeys.keyId(signer);
        }
    }

    /**
     * Signs a payload file into a package.
     *
     * @return the manifest written
     */
    public static Manifest write(String name, String version, Path payload, PrivateKey key, Instant created,
            OutputStream out) throws IOException {
        long size = Files.size(payload);
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(payload), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Manifest manifest = new Manifest(name, version, size, HexFormat.of().formatHex(digest.digest()), created);
        byte[] manifestBytes = manifest.encode();
        byte[] signature = FirmwareSignature.sign(key, signed(manifestBytes));
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeByte(FORMAT);
        data.writeInt(manifestBytes.length);
        data.write(manifestBytes);
        data.writeShort(signature.length);
        data.write(signature);
        try (InputStream in = Files.newInputStream(payload)) {
            in.transferTo(data);
        }
        data.flush();
        return manifest;
    }

    /**
     * Reads and checks a package: header, then the signature against the trusted keys, then the payload (copied to
     * {@code payloadSink} as it is hashed). The caller must discard what reached the sink when this throws.
     *
     * @throws FirmwarePackageException when the package must not be installed
     * @throws IOException when reading the package or writing the sink fails
     */
    public static Verified read(InputStream in, Collection<PublicKey> trusted, OutputStream payloadSink)
            throws IOException, FirmwarePackageException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        byte[] manifestBytes;
        byte[] signature;
        try {
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new FirmwarePackageException(Reason.MALFORMED, "not a call-box firmware package (no CBFW)");
            }
            int format = data.readUnsignedByte();
            if (format != FORMAT) {
                throw new FirmwarePackageException(Reason.UNSUPPORTED, "package format " + format
                        + " is not supported (this reader knows " + FORMAT + ")");
            }
            int manifestLength = data.readInt();
            if (manifestLength <= 0 || manifestLength > MAX_MANIFEST) {
                throw new FirmwarePackageException(Reason.MALFORMED, "manifest length " + manifestLength
                        + " outside 1.." + MAX_MANIFEST);
            }
            manifestBytes = data.readNBytes(manifestLength);
            if (manifestBytes.length != manifestLength) {
                throw new EOFException();
            }
            int signatureLength = data.readUnsignedShort();
            if (signatureLength == 0 || signatureLength > MAX_SIGNATURE) {
                throw new FirmwarePackageException(Reason.MALFORMED, "signature length " + signatureLength
                        + " outside 1.." + MAX_SIGNATURE);
            }
            signature = data.readNBytes(signatureLength);
            if (signature.length != signatureLength) {
                throw new EOFException();
            }
        } catch (EOFException e) {
            throw new FirmwarePackageException(Reason.MALFORMED, "package is truncated in its header");
        }
        if (trusted.isEmpty()) {
            throw new FirmwarePackageException(Reason.UNTRUSTED, "no firmware signing key is trusted here");
        }
        PublicKey signer = null;
        for (PublicKey key : trusted) {
            if (FirmwareSignature.verifies(key, signed(manifestBytes), signature)) {
                signer = key;
                break;
            }
        }
        if (signer == null) {
            throw new FirmwarePackageException(Reason.UNTRUSTED, "signature does not verify with any of the "
                    + trusted.size() + " trusted key(s)");
        }
        Manifest manifest = Manifest.decode(manifestBytes);
        MessageDigest digest = sha256();
        long copied = copy(data, digest, payloadSink, manifest.size());
        if (copied < manifest.size()) {
            throw new FirmwarePackageException(Reason.INTEGRITY, "payload is truncated: " + copied + " of "
                    + manifest.size() + " bytes");
        }
        if (data.read() != -1) {
            throw new FirmwarePackageException(Reason.INTEGRITY, "bytes after the signed payload");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(manifest.sha256())) {
            throw new FirmwarePackageException(Reason.INTEGRITY, "payload SHA-256 " + actual
                    + " differs from the signed " + manifest.sha256());
        }
        return new Verified(manifest, signer);
    }

    private static long copy(InputStream in, MessageDigest digest, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < limit) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
            if (read < 0) {
                break;
            }
            digest.update(buffer, 0, read);
            out.write(buffer, 0, read);
            copied += read;
        }
        return copied;
    }

    private static byte[] signed(byte[] manifestBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(SIGNING_CONTEXT.length + manifestBytes.length);
        bytes.writeBytes(SIGNING_CONTEXT);
        bytes.writeBytes(manifestBytes);
        return bytes.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
