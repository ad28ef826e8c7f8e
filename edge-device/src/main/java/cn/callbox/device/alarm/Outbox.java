package cn.callbox.device.alarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tinylog.Logger;

import cn.callbox.device.io.DurableFiles;

/**
 * The durable alarm outbox: one small file per record ({@code alarm-<sequence>.rec}, properties {@code sequence} and
 * {@code pressedAt}), written with fsync and an atomic rename. A record leaves only by {@link #remove(long)}, after the
 * hub acknowledged it. On {@link #open} the records are read back; a file that cannot be read is renamed to
 * {@code *.corrupt} with an error log line and never stops the box. Thread-safe.
 */
public final class Outbox {

    static final String FOLDER = "alarms";
    private static final Pattern NAME = Pattern.compile("alarm-(\\d{1,19})\\.rec");

    private final Path folder;
    private final TreeMap<Long, AlarmRecord> records;

    private Outbox(Path folder, TreeMap<Long, AlarmRecord> records) {
        this.folder = folder;
        this.records = records;
    }

    /** Opens (and creates) the outbox under {@code baseFolder}, loading what an earlier run left. */
    public static Outbox open(Path baseFolder) throws IOException {
        Path folder = baseFolder.resolve(FOLDER);
        Files.createDirectories(folder);
        TreeMap<Long, AlarmRecord> records = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.rec")) {
            for (Path file : files) {
                try {
                    AlarmRecord record = read(file);
                    records.put(record.sequence(), record);
                } catch (IOException | RuntimeException e) {
                    setAside(file, e);
                }
            }
        }
        if (!records.isEmpty()) {
            Logger.info("Outbox holds {} unsent alarm(s), oldest #{}", records.size(), records.firstKey());
        }
        return new Outbox(folder, records);
    }

    private static AlarmRecord read(Path file) throws IOException {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new IOException("unexpected file name");
        }
        Properties properties = new Properties();
        properties.load(new java.io.StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String sequence = properties.getProperty("sequence");
        String pressedAt = properties.getProperty("pressedAt");
        if (sequence == null || pressedAt == null) {
            throw new IOException("sequence or pressedAt missing");
        }
        AlarmRecord record = new AlarmRecord(Long.parseLong(sequence.trim()), Instant.parse(pressedAt.trim()));
        if (record.sequence() != Long.parseLong(name.group(1))) {
            throw new IOException("sequence " + record.sequence() + " does not match the file name");
        }
        return record;
    }

    private static void setAside(Path file, Exception problem) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Logger.error("Outbox file {} is unreadable ({}); moved aside to {} for inspection", file,
                    problem.getMessage(), aside);
        } catch (IOException e) {
            Logger.error("Outbox file {} is unreadable ({}) and could not be moved aside: {}", file,
                    problem.getMessage(), e.getMessage());
        }
    }

    /**
     * Stores {@code record} durably; when this returns normally the record survives a power cut. When it throws, the
     * record is still pending in memory for this run.
     */
    public void add(AlarmRecord record) throws IOException {
        String text = "sequence=" + record.sequence() + "\npressedAt=" + record.pressedAt() + "\n";
        synchronized (this) {
            // kept in memory even if the disk fails, so this run still delivers it
            records.put(record.sequence(), record);
            DurableFiles.write(file(record.sequence()), text);
        }
        Logger.info("Alarm #{} pressed at {} stored in the outbox", record.sequence(), record.pressedAt());
    }

    /** Removes an acknowledged record (no-op when absent). */
    public void remove(long sequence) throws IOException {
        synchronized (this) {
            Files.deleteIfExists(file(sequence));
            DurableFiles.syncFolder(folder);
            records.remove(sequence);
        }
    }

    /** The records not yet acknowledged, oldest (lowest sequence) first; a snapshot. */
    public synchronized List<AlarmRecord> pending() {
        return new ArrayList<>(records.values());
    }

    public synchronized int size() {
        return records.size();
    }

    /** The highest sequence in the outbox, 0 when empty. */
    public synchronized long maxSequence() {
        return records.isEmpty() ? 0 : records.lastKey();
    }

    private Path file(long sequence) {
        return folder.resolve(String.format("alarm-%019d.rec", sequence));
    }
}
