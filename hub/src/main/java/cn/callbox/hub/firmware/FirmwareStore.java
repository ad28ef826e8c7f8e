package cn.callbox.hub.firmware;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.system.RandomIds;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackage.Manifest;
import cn.callbox.protocol.firmware.FirmwarePackageException;

/**
 * The firmware packages the hub holds: rows of {@code firmware_package} ({@code V13__firmware_packages.sql}; H2 or
 * PostgreSQL) and their files {@code <dir>/<id>.cbfw}. An upload streams to a temporary file in the same folder
 * ({@code upload-*.part}, never the whole package in memory), is checked with {@link FirmwarePackage#read} against the
 * trusted keys and only then becomes {@code <id>.cbfw} and a row; a refused upload leaves neither. Thread-safe:
 * concurrent uploads of one version end with one package held (the database's unique version) and the other refused.
 */
final class FirmwareStore implements FirmwareCatalog {

    /** The most an upload may carry: the largest payload plus room for the header, manifest and signature. */
    static final long MAX_UPLOAD = FirmwarePackage.MAX_PAYLOAD + 64 * 1024;
    /** Download tokens: characters of {@link RandomIds#base32} (5 bits each, 160 bits in all). */
    static final int TOKEN_LENGTH = 32;
    /** The property an operator sets so that uploads are accepted. */
    static final String TRUSTED_KEYS_PROPERTY = "callbox.firmware.trusted-keys";

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareStore.class);
    private static final Pattern TOKEN = Pattern.compile("[0-9A-Z]{" + TOKEN_LENGTH + "}");
    private static final String COLUMNS = "id, name, version, size, sha256, key_id, download_token, uploaded_at, "
            + "uploaded_by";
    private static final String PART_PREFIX = "upload-";
    private static final String PART_SUFFIX = ".part";

    private final JdbcClient jdbc;
    private final Path dir;
    private final Supplier<List<PublicKey>> trustedKeys;
    private final long maxUpload;
    private final Clock clock;
    private final Random random;

    /**
     * @param dir the folder of the package files (created when missing)
     * @param trustedKeys the keys an upload must be signed with, asked at every upload
     * @param maxUpload larger uploads are refused ({@link #MAX_UPLOAD} but in tests)
     * @param random a SecureRandom outside tests: it makes the download tokens
     */
    FirmwareStore(JdbcClient jdbc, Path dir, Supplier<List<PublicKey>> trustedKeys, long maxUpload, Clock clock,
            Random random) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.dir = dir.toAbsolutePath().normalize();
        this.trustedKeys = Objects.requireNonNull(trustedKeys, "trustedKeys");
        this.maxUpload = maxUpload;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A package the hub refuses to hold, and why. */
    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        /**
         * @param reason {@code untrusted}, {@code integrity}, {@code malformed}, {@code unsupported} or
         *        {@code not-edge-firmware}
         */
        RefusedException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The version is held already (same bytes or not). */
    static final class ExistsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String existingId;

        ExistsException(String version, String existingId) {
            super("firmware version " + version + " is held already" + (existingId == null ? ""
                    : " as " + existingId) + "; a version is uploaded once, give a new build a new version");
            this.existingId = existingId;
        }

        /** The id of the package held; null when it cannot be told. */
        String existingId() {
            return existingId;
        }
    }

    /** An upload larger than the store takes. */
    static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("a firmware package may have at most " + limit + " bytes");
        }
    }

    /** No package with this id, or no package at this download address. */
    static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    /** A held package and its file, for a download. */
    record Download(StoredFirmware firmware, Path file) {
    }

    long maxUpload() {
        return maxUpload;
    }

    /**
     * Receives, checks and keeps a package.
     *
     * @param body the package bytes; read up to its end or until it passes the size limit, not closed
     * @param actor the user name of the uploader
     * @return the package now held
     * @throws RefusedException when no key is trusted, the package fails its checks or is not call-box firmware
     * @throws ExistsException when its version is held already
     * @throws TooLargeException when the body passes {@link #maxUpload()}
     * @throws IOException when the body cannot be read (the client went away) or the file not written
     */
    StoredFirmware upload(InputStream body, String actor) throws IOException {
        List<PublicKey> trusted = trustedKeys.get();
        if (trusted.isEmpty()) {
            throw new RefusedException("untrusted", "the hub trusts no firmware signing key, so it takes no package: "
                    + "set " + TRUSTED_KEYS_PROPERTY + " to the base64 public key(s) releases are signed with "
                    + "(callbox-provision firmware keygen prints one) and restart the hub");
        }
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, PART_PREFIX, PART_SUFFIX);
        try {
            receive(body, part);
            FirmwarePackage.Verified verified = check(part, trusted);
            Manifest manifest = verified.manifest();
            if (!FirmwarePackage.EDGE_FIRMWARE.equals(manifest.name())) {
                throw new RefusedException("not-edge-firmware", "the package holds firmware '" + manifest.name()
                        + "', not the call-box firmware '" + FirmwarePackage.EDGE_FIRMWARE + "'");
            }
            Optional<StoredFirmware> held = byVersion(manifest.version());
            if (held.isPresent()) {
                throw new ExistsException(manifest.version(), held.get().id());
            }
            StoredFirmware stored = new StoredFirmware("fw-" + RandomIds.base32(random, 8), manifest.name(),
                    manifest.version(), manifest.size(), manifest.sha256(), verified.keyId(),
                    RandomIds.base32(random, TOKEN_LENGTH), clock.instant().truncatedTo(ChronoUnit.MILLIS), actor);
            Path file = fileOf(stored.id());
            move(part, file);
            try {
                insert(stored);
            } catch (RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return stored;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public Optional<StoredFirmware> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_package WHERE id = ?").param(id)
                .query(FirmwareStore::row).optional();
    }

    /** Every package held, the newest upload first. */
    List<StoredFirmware> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_package ORDER BY uploaded_at DESC, id DESC")
                .query(FirmwareStore::row).list();
    }

    /**
     * The package at {@code /firmware/download/<token>}; empty for an unknown token or a package whose file is gone.
     */
    Optional<Download> download(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Optional<StoredFirmware> firmware = jdbc.sql("SELECT " + COLUMNS
                + " FROM firmware_package WHERE download_token = ?").param(token).query(FirmwareStore::row).optional();
        if (firmware.isEmpty()) {
            return Optional.empty();
        }
        Path file = fileOf(firmware.get().id());
        if (!Files.isRegularFile(file)) {
            LOG.error("Firmware {} ({}) is in the database but its file {} is gone", firmware.get().id(),
                    firmware.get().version(), file);
            return Optional.empty();
        }
        return Optional.of(new Download(firmware.get(), file));
    }

    /** Removes the {@code upload-*.part} files a hub that stopped mid-upload left behind. */
    void removeLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, PART_PREFIX + "*" + PART_SUFFIX)) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
                LOG.info("Removed the unfinished firmware upload {}", part);
            }
        } catch (IOException e) {
            LOG.warn("Unfinished firmware uploads in {} not removed: {}", dir, e.toString());
        }
    }

    Path fileOf(String id) {
        return dir.resolve(id + FirmwarePackage.FILE_SUFFIX);
    }

    private void receive(InputStream body, Path part) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                received += read;
                if (received > maxUpload) {
                    throw new TooLargeException(maxUpload);
                }
                out.write(buffer, 0, read);
            }
        }
    }

    private static FirmwarePackage.Verified check(Path part, List<PublicKey> trusted) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(part), 64 * 1024)) {
            return FirmwarePackage.read(in, trusted, OutputStream.nullOutputStream());
        } catch (FirmwarePackageException e) {
            throw new RefusedException(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
        }
    }

    private Optional<StoredFirmware> byVersion(String version) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_package WHERE version = ?").param(version)
                .query(FirmwareStore::row).optional();
    }

    private void insert(StoredFirmware f) {
        try {
            jdbc.sql("INSERT INTO firmware_package (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(f.id(), f.name(), f.version(), f.size(), f.sha256(), f.keyId(), f.downloadToken(),
                            f.uploadedAt().atOffset(ZoneOffset.UTC), f.uploadedBy())
                    .update();
        } catch (DuplicateKeyException e) {
            // another upload of this version won the race (an id or token clash is as good as impossible)
            throw new ExistsException(f.version(), byVersion(f.version()).map(StoredFirmware::id).orElse(null));
        }
    }

    /** Into place in one step, readable by the hub's group (mode 640) where the file system has POSIX modes. */
    private static void move(Path part, Path file) throws IOException {
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, file);
        }
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        }
    }

    private static StoredFirmware row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime uploaded = rs.getObject("uploaded_at", OffsetDateTime.class);
        Instant uploadedAt = uploaded == null ? null : uploaded.toInstant();
        return new StoredFirmware(rs.getString("id"), rs.getString("name"), rs.getString("version"),
                rs.getLong("size"), rs.getString("sha256"), rs.getString("key_id"), rs.getString("download_token"),
                uploadedAt, rs.getString("uploaded_by"));
    }
}
