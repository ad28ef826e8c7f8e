package cn.callbox.device.system;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The alarm outbox's folder takes new files: a press that cannot be written down cannot be delivered. Each check
 * creates and deletes an empty file, which catches a read-only or full file system and a wrong owner, where
 * {@link Files#isWritable} would only look at the mode bits.
 */
public final class WritableFolder implements HealthCheck {

    private final Path folder;

    public WritableFolder(Path folder) {
        this.folder = folder;
    }

    @Override
    public Optional<String> problem() {
        try {
            Path probe = Files.createTempFile(folder, ".watchdog-", ".probe");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // the reason, not the message: that names the random probe file and would make every check look new
            String reason = e instanceof FileSystemException failure && failure.getReason() != null
                    ? failure.getReason() : e.getClass().getSimpleName();
            return Optional.of("outbox folder " + folder + " is not writable (" + reason + ")");
        }
    }
}
