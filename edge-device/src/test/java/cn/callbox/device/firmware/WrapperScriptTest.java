package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package's wrapper ({@code src/deb/bin/callbox-edge}) run with {@code sh}, a stand-in {@code java} that
 * records its arguments and exits (or sleeps), and the firmware folder in a temp dir.
 */
class WrapperScriptTest {

    private static final Path WRAPPER = Path.of("src/deb/bin/callbox-edge");

    @TempDir
    Path folder;

    private Path dir;
    private Path factoryJar;
    private Path record;
    private final Map<String, String> environment = new HashMap<>();
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void fakeJava() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no sh here");
        dir = folder.resolve("firmware");
        factoryJar = folder.resolve("usr/share/callbox-edge/callbox-edge.jar");
        record = folder.resolve("java-args");
        Path java = folder.resolve("fake-java");
        Files.writeString(java, """
                #!/bin/sh
                printf '%s\\n' "$@" > "$FAKE_RECORD"
                printf '%s\\n' "${CALLBOX_ROLLBACK_FAILED:-}" > "$FAKE_RECORD.rollback-failed"
                if [ -n "$FAKE_SLEEP" ]; then
                    sleep "$FAKE_SLEEP"
                fi
                exit "${FAKE_EXIT:-0}"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        environment.put("JAVA", java.toString());
        environment.put("FAKE_RECORD", record.toString());
        Path config = Files.createDirectories(folder.resolve("etc")).resolve("callbox.properties");
        // the healthy window, which the wrapper adds to CALLBOX_TRIAL_SECONDS for its deadline
        Files.writeString(config, "endpoint=cb-test\nfirmware.confirm-after-seconds = 1\n");
        environment.put("CALLBOX_CONFIG", config.toString());
        environment.put("CALLBOX_FIRMWARE_DIR", dir.toString());
        environment.put("CALLBOX_FACTORY_JAR", factoryJar.toString());
        environment.put("CALLBOX_TRIAL_SECONDS", "2");
        environment.put("CALLBOX_TRIAL_STARTS", "2");
        environment.put("CALLBOX_EDGE_JAVA_OPTS", "-Xmx64m -Dpattern=*");
    }

    @AfterEach
    void stopAll() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", WRAPPER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("wrapper.log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Runs the wrapper to its end (the stand-in java exits at once) and gives the arguments java got. */
    private List<String> run(String... args) throws Exception {
        Files.deleteIfExists(record);
        Process process = start(args);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the wrapper ends with its java");
        assertEquals(0, process.exitValue(), log());
        return Files.readAllLines(record, StandardCharsets.UTF_8);
    }

    private String log() throws IOException {
        Path file = folder.resolve("wrapper.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private void slot(String name, String version) throws IOException {
        Path slot = Files.createDirectories(dir.resolve(name));
        Files.writeString(slot.resolve("callbox-edge.jar"), "jar " + version);
        Files.writeString(slot.resolve("manifest.properties"), "name=callbox-edge\nversion=" + version + "\n");
    }

    private void current(String slot) throws IOException {
        Files.deleteIfExists(dir.resolve("current"));
        Files.createSymbolicLink(dir.resolve("current"), Path.of(slot));
    }

    private void trial(String slot, String previous, String version) throws IOException {
        Files.writeString(dir.resolve("trial"), "slot=" + slot + "\nprevious=" + previous + "\nversion=" + version
                + "\n");
    }

    /** 0.3.0 just installed into slot b, on trial; 0.2.0 in slot a before it. */
    private void newFirmwareOnTrial() throws IOException {
        slot("a", "0.2.0");
        slot("b", "0.3.0");
        current("b");
        trial("b", "a", "0.3.0");
    }

    private String currentTarget() throws IOException {
        Path link = dir.resolve("current");
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : "none";
    }

    private String file(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void without_current_the_factory_jar_runs_with_config_firmware_dir_and_the_given_arguments() throws Exception {
        List<String> args = run("--simulate", "--sim-port", "0");

        assertEquals(List.of("-Xmx64m", "-Dpattern=*", "-jar", factoryJar.toString(), "--config",
                folder.resolve("etc/callbox.properties").toString(), "--firmware-dir", dir.toString(), "--simulate",
                "--sim-port", "0"), args, "options split on spaces, never globbed");
        assertTrue(Files.isDirectory(dir), "the firmware folder is made");
    }

    @Test
    void with_current_the_slot_jar_runs() throws Exception {
        slot("b", "0.3.0");
        current("b");

        List<String> args = run();

        assertEquals(dir.resolve("current/callbox-edge.jar").toString(), args.get(args.indexOf("-jar") + 1));
    }

    @Test
    void a_trial_firmware_that_stops_before_it_is_confirmed_is_rolled_back_with_an_exit_code_systemd_restarts()
            throws Exception {
        newFirmwareOnTrial();
        // exit code 2 (a config the new firmware refuses) is one the unit does not restart
        environment.put("FAKE_EXIT", "2");

        Process process = start();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the wrapper ends with its java");
        assertEquals(1, process.exitValue(), "restartable, not 2: " + log());
        assertEquals(dir.resolve("current/callbox-edge.jar").toString(),
                Files.readAllLines(record).get(Files.readAllLines(record).indexOf("-jar") + 1), "the trial slot ran");
        assertEquals("a", currentTarget(), "back to the previous slot");
        assertEquals("8\nrolled back 0.3.0: stopped with exit code 2 before it was confirmed\n", file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
        assertFalse(Files.exists(dir.resolve("trial-starts")));
        assertTrue(log().contains("rolled back 0.3.0"), log());
    }

    @Test
    void a_trial_cut_short_again_and_again_is_rolled_back_after_the_allowed_starts() throws Exception {
        newFirmwareOnTrial();
        environment.put("FAKE_SLEEP", "60");
        environment.put("CALLBOX_TRIAL_SECONDS", "60");

        for (int start = 1; start <= 2; start++) {
            Files.deleteIfExists(record);
            Process process = start();
            await("the trial firmware runs", () -> Files.exists(record));
            // a power cut: nothing of the wrapper gets to run any more (the wrapper dies first: killing its java
            // first would let it see the exit and roll back)
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
            assertEquals(String.valueOf(start), file("trial-starts").strip());
            assertEquals("b", currentTarget());
        }
        environment.remove("FAKE_SLEEP");

        List<String> third = run();

        assertEquals("a", currentTarget(), "back to the previous slot");
        assertEquals("8\nrolled back 0.3.0: did not start 2 times\n", file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
        assertFalse(Files.exists(dir.resolve("trial-starts")));
        assertEquals(dir.resolve("current/callbox-edge.jar").toString(), third.get(third.indexOf("-jar") + 1));
    }

    @Test
    void a_trial_firmware_that_confirmed_itself_and_stops_later_keeps_its_exit_code_and_its_slot() throws Exception {
        newFirmwareOnTrial();
        environment.put("FAKE_SLEEP", "1");
        environment.put("FAKE_EXIT", "3");

        Process process = start();
        await("the firmware runs", () -> Files.exists(record));
        // what the firmware does once it has been healthy for its window
        Files.delete(dir.resolve("trial"));
        Files.delete(dir.resolve("trial-starts"));

        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, process.exitValue(), "a reboot asked by the hub: " + log());
        assertEquals("b", currentTarget());
        assertFalse(Files.exists(dir.resolve("update-result")));
    }

    @Test
    void a_trial_whose_previous_was_the_factory_jar_rolls_back_to_it() throws Exception {
        slot("a", "0.2.0");
        current("a");
        trial("a", "factory", "0.2.0");
        Files.writeString(dir.resolve("trial-starts"), "2\n");

        List<String> args = run();

        assertFalse(Files.exists(dir.resolve("current"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(factoryJar.toString(), args.get(args.indexOf("-jar") + 1));
        assertTrue(file("update-result").startsWith("8\n"));
    }

    @Test
    void the_deadline_stops_a_trial_firmware_that_is_not_confirmed_and_rolls_it_back() throws Exception {
        newFirmwareOnTrial();
        environment.put("CALLBOX_TRIAL_SECONDS", "1");
        environment.put("FAKE_SLEEP", "60");

        Process process = start("--simulate");

        assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the hanging firmware is stopped");
        assertEquals(143, process.exitValue(), "by SIGTERM");
        assertEquals("a", currentTarget());
        assertEquals("8\nrolled back 0.3.0: not confirmed within 2 s (registered and healthy for 1 s)\n",
                file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
    }

    @Test
    void a_trial_confirmed_before_the_deadline_is_left_alone() throws Exception {
        newFirmwareOnTrial();
        environment.put("CALLBOX_TRIAL_SECONDS", "1");
        environment.put("FAKE_SLEEP", "60");

        Process process = start();
        await("the firmware runs", () -> Files.exists(record));
        // what the firmware does once it has been healthy for its window
        Files.delete(dir.resolve("trial"));
        Files.delete(dir.resolve("trial-starts"));
        TimeUnit.MILLISECONDS.sleep(3_000);

        assertTrue(process.isAlive(), "still running after the deadline");
        assertEquals("b", currentTarget());
        assertFalse(Files.exists(dir.resolve("update-result")));
    }

    @Test
    void a_trial_naming_another_slot_than_current_is_an_interrupted_install() throws Exception {
        slot("a", "0.2.0");
        current("a");
        trial("b", "a", "0.3.0");

        List<String> args = run();

        assertEquals("a", currentTarget());
        assertEquals("8\ninterrupted install\n", file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
        assertFalse(Files.exists(dir.resolve("trial-starts")), "no start counted");
        assertEquals(dir.resolve("current/callbox-edge.jar").toString(), args.get(args.indexOf("-jar") + 1));
    }

    /** Puts a stand-in {@code name} first on the PATH: a command that fails like it does on a full disk. */
    private void failing(String name, String script) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("failing-bin"));
        Path command = bin.resolve(name);
        Files.writeString(command, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
    }

    @Test
    void the_deadline_leaves_room_for_the_configured_healthy_window() throws Exception {
        newFirmwareOnTrial();
        Files.writeString(Path.of(environment.get("CALLBOX_CONFIG")), "firmware.confirm-after-seconds=3\n");
        environment.put("CALLBOX_TRIAL_SECONDS", "1");
        environment.put("FAKE_SLEEP", "60");

        Process process = start();
        await("the firmware runs", () -> Files.exists(record));
        TimeUnit.MILLISECONDS.sleep(2_500);
        assertTrue(process.isAlive(), "still in its window after CALLBOX_TRIAL_SECONDS: " + log());
        assertEquals("b", currentTarget());

        assertTrue(process.waitFor(15, TimeUnit.SECONDS), "stopped at 1 + 3 s");
        assertEquals("a", currentTarget());
        assertEquals("8\nrolled back 0.3.0: not confirmed within 4 s (registered and healthy for 3 s)\n",
                file("update-result"));
    }

    @Test
    void a_rollback_whose_link_switch_fails_keeps_the_trial_says_so_and_is_tried_again_at_the_next_start()
            throws Exception {
        newFirmwareOnTrial();
        // the new firmware crashes during its window; the disk takes no new link
        environment.put("FAKE_EXIT", "1");
        failing("ln", "echo \"ln: failed to create symbolic link: No space left on device\" >&2; exit 1");

        Process crashed = start();

        assertTrue(crashed.waitFor(10, TimeUnit.SECONDS));
        assertEquals(1, crashed.exitValue(), "restarted by systemd: " + log());
        assertEquals("b", currentTarget(), "could not switch back");
        assertTrue(Files.exists(dir.resolve("trial")), "the trial marker stays");
        assertTrue(file("update-result").startsWith("8\nrollback failed: rolled back 0.3.0: stopped with exit code 1"),
                file("update-result"));
        assertTrue(log().contains("ROLLBACK FAILED"), log());
        assertFalse(log().lines().anyMatch(line -> line.equals("callbox-edge: rolled back 0.3.0: stopped with exit "
                + "code 1 before it was confirmed")), "never reported as done: " + log());
        assertEquals("3", file("trial-starts").strip(), "past the limit: the next start goes back at once");

        // the next start: still no room; the trial firmware runs once more and is told it was not rolled back
        environment.put("FAKE_EXIT", "0");
        environment.put("FAKE_SLEEP", "60");
        Files.deleteIfExists(record);
        Process again = start();
        await("the firmware runs", () -> Files.exists(record));
        assertEquals("b", currentTarget());
        assertTrue(Files.readString(Path.of(record + ".rollback-failed")).startsWith("rollback of 0.3.0 failed"),
                "CALLBOX_ROLLBACK_FAILED");
        List<ProcessHandle> children = again.descendants().toList();
        again.destroyForcibly();
        again.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);

        // room again: the next start goes back
        environment.remove("PATH");
        environment.remove("FAKE_SLEEP");
        List<String> args = run();

        assertEquals("a", currentTarget());
        assertEquals("8\nrolled back 0.3.0: did not start 2 times\n", file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
        assertFalse(Files.exists(dir.resolve("trial-starts")));
        assertEquals("", Files.readString(Path.of(record + ".rollback-failed")).strip());
        assertEquals(dir.resolve("current/callbox-edge.jar").toString(), args.get(args.indexOf("-jar") + 1));
    }

    @Test
    void a_rollback_that_switched_back_but_cannot_write_its_result_keeps_the_trial_for_the_next_start()
            throws Exception {
        newFirmwareOnTrial();
        environment.put("FAKE_EXIT", "1");
        failing("mv", "case \"$*\" in *update-result*) exit 1 ;; esac\nexec /usr/bin/mv \"$@\"");

        Process crashed = start();

        assertTrue(crashed.waitFor(10, TimeUnit.SECONDS));
        assertEquals("a", currentTarget(), "switched back");
        assertTrue(Files.exists(dir.resolve("trial")), "not reported, so not ended: " + log());
        assertFalse(Files.exists(dir.resolve("update-result")));

        environment.remove("PATH");
        environment.put("FAKE_EXIT", "0");
        run();

        assertEquals("a", currentTarget());
        assertEquals("8\ninterrupted install\n", file("update-result"));
        assertFalse(Files.exists(dir.resolve("trial")));
    }
}
