package cn.callbox.device.firmware;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import cn.callbox.device.io.DurableFiles;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

/**
 * The firmware folder: two slots, the {@code current} link, the trial and the last update's result. The layout and
 * who writes what are in the package documentation ({@code package-info}): the wrapper script reads and writes the
 * same files. Not thread-safe: {@link FirmwareUpdater} serialises the calls.
 */
public final class FirmwareSlots {

    public static final String JAR = "callbox-edge.jar";
    public static final String MANIFEST = "manifest.properties";
    static final String CURRENT = "current";
    static final String TRIAL = "trial";
    static final String TRIAL_STARTS = "trial-starts";
    static final String UPDATE_RESULT = "update-result";
    static final String DOWNLOAD = "download";
    static final String FACTORY = "factory";
    private static final List<String> SLOTS = List.of("a", "b");

    /**
     * A slot on trial, as the {@code trial} file names it.
     *
     * @param slot {@code a} or {@code b}
     * @param previous the slot (or {@code factory}) the wrapper goes back to
     */
    public record Trial(String slot, String previous, String version) {
    }

    /** The name and version of an installed or downloaded firmware. */
    public record Installed(String name, String version) {
    }

    private final Path dir;

    /** @param dir the firmware folder, created when missing */
    public FirmwareSlots(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath();
        Files.createDirectories(this.dir);
    }

    public Path dir() {
        return dir;
    }

    /** The download work folder, created when missing. */
    Path downloadDir() throws IOException {
        return Files.createDirectories(dir.resolve(DOWNLOAD));
    }

    /** The slot {@code current} points to; empty when it is absent (the factory jar runs) or points elsewhere. */
    public Optional<String> currentSlot() {
        Path link = dir.resolve(CURRENT);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            String target = Files.readSymbolicLink(link).toString();
            return SLOTS.contains(target) ? Optional.of(target) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The slot an install goes to: the one {@code current} does not point to, {@code a} when there is none. */
    public String inactiveSlot() {
        return currentSlot().map(slot -> slot.equals("a") ? "b" : "a").orElse("a");
    }

    /**
     * Installs a verified jar into the inactive slot, puts it on trial and points {@code current} at it. The jar file
     * is moved (not copied). After this the next start of the wrapper runs the new firmware.
     *
     * @return the slot installed into
     * @throws IOException when a step fails; {@code current} then still points where it did (or, failing only at the
     *         very last rename, the trial names a slot {@code current} does not point to: an interrupted install)
     */
    public String install(Path verifiedJar, FirmwarePackage.Manifest manifest) throws IOException {
        String previous = currentSlot().orElse(FACTORY);
        String slot = inactiveSlot();
        Path slotDir = dir.resolve(slot);
        deleteContents(slotDir);
        Files.createDirectories(slotDir);
        Path jar = slotDir.resolve(JAR);
        Files.move(verifiedJar, jar, StandardCopyOption.REPLACE_EXISTING);
        force(jar);
        StringWriter manifestText = new StringWriter();
        manifest.toProperties().store(manifestText, "installed over the air");
        DurableFiles.write(slotDir.resolve(MANIFEST), manifestText.toString());
        DurableFiles.syncFolder(slotDir);
        DurableFiles.write(dir.resolve(TRIAL), "slot=" + slot + "\nprevious=" + previous + "\nversion=" + manifest.version()
                + "\n");
        Files.deleteIfExists(dir.resolve(TRIAL_STARTS));
        Path next = dir.resolve(CURRENT + ".new");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, Path.of(slot));
        Files.move(next, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncFolder(dir);
        return slot;
    }

    /** The {@code trial} file, when there is a readable one. */
    public Optional<Trial> trial() {
        Path file = dir.resolve(TRIAL);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(new Trial("", FACTORY, "?"));
        }
        return Optional.of(new Trial(properties.getProperty("slot", ""), properties.getProperty("previous", FACTORY),
                properties.getProperty("version", "?")));
    }

    /** Whether a trial exists and names the slot {@code current} points to (the new firmware runs unconfirmed). */
    public boolean onTrial() {
        Optional<Trial> trial = trial();
        return trial.isPresent() && currentSlot().filter(trial.get().slot()::equals).isPresent();
    }

    /**
     * Ends a trial that an install left behind: confirmed when it names the slot {@code current} points to (call this
     * once the firmware has registered with its hub), an interrupted install when it does not.
     *
     * @return the result written to {@code update-result}; empty when there was no trial
     */
    public Optional<Result> endTrial() throws IOException {
        Optional<Trial> trial = trial();
        if (trial.isEmpty()) {
            return Optional.empty();
        }
        boolean confirmed = onTrial();
        Files.deleteIfExists(dir.resolve(TRIAL));
        Files.deleteIfExists(dir.resolve(TRIAL_STARTS));
        DurableFiles.syncFolder(dir);
        if (confirmed) {
            writeResult(Result.SUCCESS, "installed " + trial.get().version());
            return Optional.of(Result.SUCCESS);
        }
        writeResult(Result.UPDATE_FAILED, "interrupted install");
        return Optional.of(Result.UPDATE_FAILED);
    }

    /** Ends an interrupted install (a trial naming a slot {@code current} does not point to); true when there was one. */
    public boolean clearInterruptedInstall() throws IOException {
        if (trial().isPresent() && !onTrial()) {
            endTrial();
            return true;
        }
        return false;
    }

    /** The result of the last update ({@code update-result}); INITIAL when there is none or it is unreadable. */
    public Result lastResult() {
        try {
            String first = Files.readAllLines(dir.resolve(UPDATE_RESULT), StandardCharsets.UTF_8).stream().findFirst()
                    .orElse("").strip();
            return Result.of(Long.parseLong(first)).orElse(Result.INITIAL);
        } catch (IOException | NumberFormatException e) {
            return Result.INITIAL;
        }
    }

    /** The message line of {@code update-result}; empty when there is none. */
    public String lastResultMessage() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(UPDATE_RESULT), StandardCharsets.UTF_8);
            return lines.size() > 1 ? lines.get(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Replaces {@code update-result}. */
    public void writeResult(Result result, String message) throws IOException {
        DurableFiles.write(dir.resolve(UPDATE_RESULT), result.code() + "\n" + message.replace('\n', ' ') + "\n");
    }

    /**
     * The firmware in the slot {@code current} points to, when that slot has a jar and a readable manifest: what the
     * wrapper starts.
     */
    public Optional<Installed> current() {
        Optional<String> slot = currentSlot();
        if (slot.isEmpty() || !Files.isRegularFile(dir.resolve(slot.get()).resolve(JAR))) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve(slot.get()).resolve(MANIFEST),
                StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String name = properties.getProperty("name");
        String version = properties.getProperty("version");
        return name == null || version == null ? Optional.empty() : Optional.of(new Installed(name, version));
    }

    /** The version the wrapper starts: the current slot's, else {@code factoryVersion} (the jar of the package). */
    public String runningVersion(String factoryVersion) {
        return current().map(Installed::version).orElse(factoryVersion);
    }

    /** Deletes the files in a folder (not the folder itself, not recursively beyond one level of folders). */
    static void deleteContents(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    deleteContents(entry);
                }
                try {
                    Files.deleteIfExists(entry);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
