package cn.callbox.provision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold keys: created with mode 600 (owner read and write only) before a byte is written, so no other user
 * ever can read them, not even for a moment.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /**
     * Writes a new file; fails when it exists.
     *
     * @throws FileAlreadyExistsException when {@code file} exists
     */
    static void createNew(Path file, byte[] content) throws IOException {
        createNew(file, content, OWNER_ONLY);
    }

    /**
     * Writes a new file created with {@code mode} (less what the umask takes away); fails when it exists.
     *
     * @throws FileAlreadyExistsException when {@code file} exists
     */
    static void createNew(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC),
                PosixFilePermissions.asFileAttribute(mode))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Replaces a file at once (readers see the old or the new content, never half of it). */
    static void replace(Path file, byte[] content) throws IOException {
        Path temp = temp(file, content);
        try {
            moveOver(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Moves {@code temp} over {@code file}, atomically where the file system can. */
    static void moveOver(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A temporary file beside {@code file}, mode 600, holding {@code content} (synced). */
    static Path temp(Path file, byte[] content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }
}
