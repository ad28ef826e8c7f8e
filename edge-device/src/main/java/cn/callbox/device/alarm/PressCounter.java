package cn.callbox.device.alarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tinylog.Logger;

import cn.callbox.device.io.DurableFiles;

/**
 * The persisted press counter (3347/0/5501), which numbers the box's alarms. {@link #next()} stores the new value
 * durably before it returns, so a number is never handed out twice, across restarts and power cuts. Thread-safe.
 */
public final class PressCounter {

    static final String FILE = "press-counter";

    private final Path file;
    private long value;

    private PressCounter(Path file, long value) {
        this.file = file;
        this.value = value;
    }

    /**
     * Opens the counter in {@code folder} (created if missing), never lower than {@code atLeast} (the highest
     * sequence still in the outbox, in case the counter file was lost).
     *
     * @throws IOException when the folder cannot be created or the counter file read
     */
    public static PressCounter open(Path folder, long atLeast) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        long value = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                // keep numbering above everything we can still see rather than stop the box
                Path aside = file.resolveSibling(FILE + ".corrupt-" + System.currentTimeMillis());
                Files.move(file, aside);
                Logger.error("Press counter file {} is corrupt ('{}'), moved to {}; continuing from {}", file, text,
                        aside, atLeast);
            }
        }
        return new PressCounter(file, Math.max(value, atLeast));
    }

    /** The last number handed out (0 before the first press). */
    public synchronized long current() {
        return value;
    }

    /**
     * Counts a press and returns its number, after the new value is on disk.
     *
     * @throws IOException when the value cannot be stored; the counter then stays as it was
     */
    public synchronized long next() throws IOException {
        long next = value + 1;
        DurableFiles.write(file, Long.toString(next));
        value = next;
        return next;
    }
}
