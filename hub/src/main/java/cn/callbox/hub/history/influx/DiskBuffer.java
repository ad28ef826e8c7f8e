package cn.callbox.hub.history.influx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only, fsync'd, on-disk queue of InfluxDB line-protocol records, kept while InfluxDB cannot be reached.
 * <p>
 * Records go to numbered files {@code 00000000000000000001.lp}, … in the buffer directory; a file is closed and the
 * next one started when it passes {@link #MAX_FILE_BYTES}, and every new instance starts a new file (a file left by
 * a crash may end in a torn line). Each line is {@code <crc32 as 8 hex digits> <record>}; {@link #read} checks the
 * sums. Files are replayed oldest first (lowest number) and deleted once InfluxDB has taken them; a file with bad lines
 * is moved to the sibling {@code corrupt} directory after its good lines were replayed.
 * <p>
 * Not thread-safe: the owner serialises every call.
 */
final class DiskBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);

    /** A file is closed and a new one started beyond this size. */
    static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final String SUFFIX = ".lp";

    private final Path dir;
    private final Path corruptDir;
    private final long warnBytes;
    private long nextNumber;
    private long totalBytes;
    private long warnedAtBytes;
    private Path currentFile;
    private FileChannel current;

    /**
     * Opens (creating when needed) the buffer directory and takes over the files a previous instance left there.
     *
     * @param warnBytes above this many buffered bytes an ERROR is logged (again at each further multiple)
     */
    DiskBuffer(Path dir, long warnBytes) {
        this.dir = dir;
        this.corruptDir = dir.resolveSibling("corrupt");
        this.warnBytes = warnBytes;
        try {
            Files.createDirectories(dir);
            long max = 0;
            for (Path file : files()) {
                max = Math.max(max, number(file));
                totalBytes += Files.size(file);
            }
            nextNumber = max + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the history buffer " + dir, e);
        }
        if (totalBytes > 0) {
            LOG.info("History buffer {} holds {} bytes from before: they will be replayed to InfluxDB", dir,
                    totalBytes);
        }
    }

    /** No record is waiting. */
    boolean isEmpty() {
        return totalBytes == 0 && oldest().isEmpty();
    }

    /** Bytes waiting, on disk. */
    long size() {
        return totalBytes;
    }

    /**
     * Appends the records, in order, and forces them to disk before returning.
     *
     * @throws UncheckedIOException when the disk refuses them (full, read-only): they are lost, and the caller must say
     *         so
     */
    void append(List<String> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String record : records) {
            if (record.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a line-protocol record has no newline: " + record);
            }
            text.append(checksum(record)).append(' ').append(record).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (current == null) {
                currentFile = dir.resolve(String.format("%020d%s", nextNumber++, SUFFIX));
                current = FileChannel.open(currentFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
            current.force(true);
            totalBytes += bytes.length;
            if (current.size() >= MAX_FILE_BYTES) {
                closeCurrent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the history buffer " + dir, e);
        }
        if (totalBytes >= warnedAtBytes + warnBytes) {
            warnedAtBytes = totalBytes - totalBytes % warnBytes;
            LOG.error("History buffer {} holds {} MB: InfluxDB has been unreachable for long. Points are kept until "
                    + "the disk is full, then lost: bring InfluxDB back or free disk space", dir,
                    totalBytes / (1024 * 1024));
        }
    }

    /** The oldest file, if any. */
    Optional<Path> oldest() {
        try {
            List<Path> files = files();
            return files.isEmpty() ? Optional.empty() : Optional.of(files.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the history buffer " + dir, e);
        }
    }

    /**
     * The records of a file, in order, with how many lines were bad. A last line without its newline is the torn end of
     * a write interrupted by a crash: it was never acknowledged to anyone, so it is skipped with a warning, not counted
     * as bad.
     */
    Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history buffer file " + file, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // not ours: keep whatever decodes, mark the rest bad line by line
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        List<String> records = new ArrayList<>();
        int bad = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                LOG.warn("History buffer file {} ends in a torn line (a crash while writing); skipped: {}", file,
                        abbreviate(text.substring(start)));
                break;
            }
            String line = text.substring(start, end);
            start = end + 1;
            if (line.length() > 9 && line.charAt(8) == ' ' && line.substring(0, 8).equals(checksum(line.substring(9)))) {
                records.add(line.substring(9));
            } else {
                bad++;
            }
        }
        return new Contents(file, records, bad, bytes.length);
    }

    /** Deletes a file whose records InfluxDB has taken. */
    void remove(Contents contents) {
        release(contents.file());
        try {
            Files.deleteIfExists(contents.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the replayed history buffer file " + contents.file(), e);
        }
        totalBytes = Math.max(0, totalBytes - contents.bytes());
        if (totalBytes == 0) {
            warnedAtBytes = 0;
        }
    }

    /**
     * Moves a file out of the queue into the {@code corrupt} directory, for a person to look at.
     *
     * @return where it is now
     */
    Path setAside(Contents contents) {
        release(contents.file());
        try {
            Files.createDirectories(corruptDir);
            Path target = corruptDir.resolve(contents.file().getFileName() + "." + System.currentTimeMillis());
            Files.move(contents.file(), target, StandardCopyOption.ATOMIC_MOVE);
            totalBytes = Math.max(0, totalBytes - contents.bytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside the history buffer file " + contents.file(), e);
        }
    }

    /** Writes records that InfluxDB refused into the {@code corrupt} directory, so that they are not lost silently. */
    Path setAside(List<String> records, String reason) {
        try {
            Files.createDirectories(corruptDir);
            Path target = corruptDir.resolve("rejected-" + System.currentTimeMillis() + "-" + nextNumber++ + SUFFIX);
            Files.write(target, (String.join("\n", records) + "\n# " + reason.replace('\n', ' ') + "\n")
                    .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside rejected history records in " + corruptDir, e);
        }
    }

    @Override
    public void close() {
        try {
            closeCurrent();
        } catch (IOException e) {
            LOG.warn("Closing history buffer file {} failed: {}", currentFile, e.toString());
        }
    }

    /** The records of one buffer file; {@code bad} lines failed their checksum. */
    record Contents(Path file, List<String> records, int bad, long bytes) {
    }

    private void release(Path file) {
        if (file.equals(currentFile)) {
            try {
                closeCurrent();
            } catch (IOException e) {
                LOG.warn("Closing history buffer file {} failed: {}", file, e.toString());
            }
        }
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            FileChannel channel = current;
            current = null;
            currentFile = null;
            channel.close();
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().matches("[0-9]{1,20}\\.lp") && Files.isRegularFile(f))
                    .sorted((a, b) -> Long.compare(number(a), number(b)))
                    .toList();
        }
    }

    private static long number(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    private static String checksum(String record) {
        CRC32 crc = new CRC32();
        crc.update(record.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
