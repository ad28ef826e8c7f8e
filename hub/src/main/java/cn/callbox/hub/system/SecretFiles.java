package cn.callbox.hub.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets (passwords, pre-shared keys) readable by the owner only: POSIX mode 600, set when
 * the file is created, so that there is no moment in which others could read it. Stateless and thread-safe.
 */
public final class SecretFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {
    }

    /**
     * Creates {@code file} with mode 600 holding {@code text} (UTF-8), synced to disk. The file appears whole or not
     * at all: the text goes to a mode-600 temporary file in the same folder, which is then hard-linked to the name
     * (a link never replaces an existing file). Readers that poll for the file, such as an installer's script waiting
     * for the initial admin password, never see it empty. Missing parent folders are created (mode 700 where they
     * are new).
     *
     * @throws FileAlreadyExistsException when the file exists: a secret written once is never overwritten here
     * @throws IOException when the file cannot be written; nothing is left behind
     */
    public static void createOnce(Path file, String text) throws IOException {
        Path dir = createParents(file);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly());
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            publishOnce(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Gives the complete {@code tmp} the name {@code file}, failing when that name exists. */
    private static void publishOnce(Path tmp, Path file) throws IOException {
        try {
            Files.createLink(file, tmp);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileAlreadyExistsException exists) {
                throw exists;
            }
            // a file system without hard links (rare for a data dir): a plain move shows the whole file too, but
            // its check that the name is free and the rename are two steps, not one
            Files.move(tmp, file);
        }
    }

    /**
     * Writes {@code bytes} to {@code file}, replacing it atomically when it exists: the bytes go to a mode-600 temporary
     * file in the same folder, which is then moved over the target. Readers see the old or the new content, never a
     * mix, and never a moment with wider permissions.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path dir = createParents(file);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly());
        try {
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when the file system supports POSIX permissions (every Linux file system the hub runs on does). */
    static boolean posix(Path dir) {
        return Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }

    private static Path createParents(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && posix(existing)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        return dir;
    }

    private static FileAttribute<?>[] ownerOnly() {
        return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) };
    }
}
