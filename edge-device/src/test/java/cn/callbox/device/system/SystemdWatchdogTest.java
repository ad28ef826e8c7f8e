package cn.callbox.device.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.time.ManualScheduler;
import cn.callbox.device.time.Scheduler;

class SystemdWatchdogTest {

    private static final long PID = 4242;
    private static final Instant START = Instant.parse("2026-06-01T08:00:00Z");
    /** What systemd sets for WatchdogSec=60. */
    private static final Map<String, String> UNDER_SYSTEMD = Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
            "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", Long.toString(PID));

    private final ManualScheduler time = new ManualScheduler(START);
    private final FakeNotifier systemd = new FakeNotifier(time);
    private final WorkerThread timingThread = new WorkerThread();
    private final WorkerThread outboxThread = new WorkerThread();

    @TempDir
    Path folder;

    private SystemdWatchdog watchdog(Map<String, String> environment) {
        Optional<SystemdWatchdog> watchdog = SystemdWatchdog.fromEnvironment(environment, PID, systemd,
                List.of(new ThreadHeartbeat(Map.of("callbox-timing", timingThread, "callbox-outbox", outboxThread)),
                        new WritableFolder(folder)),
                time);
        assertTrue(watchdog.isPresent());
        return watchdog.get();
    }

    @Test
    void does_nothing_without_a_notify_socket() {
        assertTrue(SystemdWatchdog.fromEnvironment(Map.of(), PID, systemd, List.of(), time).isEmpty());
        assertTrue(SystemdWatchdog.fromEnvironment(Map.of("WATCHDOG_USEC", "60000000"), PID, systemd, List.of(), time)
                .isEmpty());
        time.advance(Duration.ofMinutes(5));
        assertEquals(List.of(), systemd.sent);
    }

    @Test
    void says_ready_once_and_pings_every_half_the_timeout() {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        assertEquals(Optional.of(Duration.ofSeconds(30)), watchdog.interval());
        assertEquals(List.of(), systemd.sent, "nothing before the box has started");

        watchdog.ready("call box cb-1 running");
        time.advance(Duration.ofSeconds(120));

        assertEquals(List.of("READY=1", "STATUS=call box cb-1 running"), systemd.sent.get(0).assignments());
        assertEquals(List.of(0L, 30L, 60L, 90L, 120L), systemd.secondsOf("WATCHDOG=1"));
        assertEquals(1, systemd.secondsOf("READY=1").size());
    }

    @Test
    void without_a_watchdog_it_only_says_ready() {
        SystemdWatchdog watchdog = watchdog(Map.of("NOTIFY_SOCKET", "@/org/freedesktop/systemd1/notify"));
        assertTrue(watchdog.interval().isEmpty());

        watchdog.ready("running");
        time.advance(Duration.ofMinutes(10));

        assertEquals(1, systemd.sent.size());
        assertEquals("READY=1", systemd.sent.get(0).assignments().get(0));
    }

    @Test
    void a_stuck_worker_thread_stops_the_pings_until_it_runs_again() {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        watchdog.ready("running");
        time.advance(Duration.ofSeconds(61));
        assertEquals(List.of(0L, 30L, 60L), systemd.secondsOf("WATCHDOG=1"));

        timingThread.stuck = true;
        time.advance(Duration.ofSeconds(99)); // to 160 s

        // the probe posted at 60 s had run; the one posted at 90 s never runs: no ping from 120 s on
        assertEquals(List.of(0L, 30L, 60L, 90L), systemd.secondsOf("WATCHDOG=1"));
        List<String> statuses = systemd.statuses();
        assertTrue(statuses.get(statuses.size() - 1).contains("callbox-timing"), statuses.toString());
        assertFalse(statuses.get(statuses.size() - 1).contains("callbox-outbox"), statuses.toString());

        timingThread.resume();
        time.advance(Duration.ofSeconds(20)); // to 180 s

        assertEquals(List.of(0L, 30L, 60L, 90L, 180L), systemd.secondsOf("WATCHDOG=1"));
        assertEquals("STATUS=running", systemd.sent.get(systemd.sent.size() - 1).assignments().get(1));
    }

    @Test
    void a_worker_whose_executor_was_shut_down_stops_the_pings() {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        watchdog.ready("running");
        outboxThread.shutDown = true;
        time.advance(Duration.ofSeconds(90));

        assertEquals(List.of(0L), systemd.secondsOf("WATCHDOG=1"));
        assertTrue(systemd.statuses().get(1).contains("callbox-outbox"), systemd.statuses().toString());
    }

    @Test
    void an_outbox_folder_that_takes_no_files_stops_the_pings() throws IOException {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        watchdog.ready("running");
        time.advance(Duration.ofSeconds(30));

        Files.delete(folder); // also what a read-only or full file system looks like to the box: no new file
        time.advance(Duration.ofSeconds(60));

        assertEquals(List.of(0L, 30L), systemd.secondsOf("WATCHDOG=1"));
        assertTrue(systemd.statuses().get(1).startsWith("STATUS=unhealthy: outbox folder " + folder),
                systemd.statuses().toString());
        try (var files = Files.list(folder.getParent())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".probe")));
        }

        Files.createDirectories(folder);
        time.advance(Duration.ofSeconds(30));
        assertEquals(List.of(0L, 30L, 120L), systemd.secondsOf("WATCHDOG=1"));
        try (var files = Files.list(folder)) {
            assertEquals(0, files.count(), "the probe file is removed again");
        }
    }

    @Test
    void a_failed_notification_is_logged_and_the_next_ping_still_goes_out() {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        systemd.failNext = true;
        watchdog.ready("running");
        time.advance(Duration.ofSeconds(30));

        assertEquals(List.of(0L, 30L), systemd.secondsOf("WATCHDOG=1"));
    }

    @Test
    void close_says_stopping_and_ends_the_pings() {
        SystemdWatchdog watchdog = watchdog(UNDER_SYSTEMD);
        watchdog.ready("running");
        time.advance(Duration.ofSeconds(45));

        watchdog.close();
        time.advance(Duration.ofMinutes(5));

        assertEquals(List.of(0L, 30L), systemd.secondsOf("WATCHDOG=1"));
        assertEquals(List.of("STOPPING=1"), systemd.sent.get(systemd.sent.size() - 1).assignments());
    }

    @Test
    void the_interval_is_half_of_watchdog_usec_and_only_for_this_process() {
        assertEquals(Duration.ofSeconds(30), SystemdWatchdog.pingInterval(UNDER_SYSTEMD, PID));
        assertEquals(Duration.ofMillis(1500),
                SystemdWatchdog.pingInterval(Map.of("WATCHDOG_USEC", "3000000"), PID));
        assertNull(SystemdWatchdog.pingInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "1"), PID));
        assertNull(SystemdWatchdog.pingInterval(Map.of("WATCHDOG_USEC", "soon"), PID));
        assertNull(SystemdWatchdog.pingInterval(Map.of("WATCHDOG_USEC", "0"), PID));
        assertNull(SystemdWatchdog.pingInterval(Map.of(), PID));
    }

    @Test
    void systemd_notify_is_run_with_the_assignments_and_its_failure_reported() throws Exception {
        Path log = folder.resolve("sent.txt");
        Path fake = folder.resolve("systemd-notify");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s|' \"$@\" >> " + log + "\necho >> " + log + "\n"
                + "[ \"$1\" != FAIL=1 ]\n");
        assertTrue(fake.toFile().setExecutable(true));
        SystemdNotify notify = new SystemdNotify(fake.toString());

        notify.send("READY=1", "STATUS=call box cb-1 running");
        notify.send("WATCHDOG=1");
        IOException failed = assertThrows(IOException.class, () -> notify.send("FAIL=1"));

        assertEquals(List.of("READY=1|STATUS=call box cb-1 running|", "WATCHDOG=1|", "FAIL=1|"),
                Files.readAllLines(log));
        assertTrue(failed.getMessage().contains("exited with 1"), failed.getMessage());
        assertThrows(IOException.class, () -> new SystemdNotify(folder.resolve("missing").toString()).send("X=1"));
    }

    /** Records what the firmware told systemd, with the virtual time it did. */
    private static final class FakeNotifier implements ServiceNotifier {
        final List<Sent> sent = new ArrayList<>();
        final ManualScheduler time;
        boolean failNext;

        FakeNotifier(ManualScheduler time) {
            this.time = time;
        }

        @Override
        public void send(String... assignments) throws IOException {
            if (failNext) {
                failNext = false;
                throw new IOException("systemd-notify: connection refused");
            }
            sent.add(new Sent(time.clock().instant(), List.of(assignments)));
        }

        List<Long> secondsOf(String assignment) {
            return sent.stream().filter(s -> s.assignments().contains(assignment))
                    .map(s -> Duration.between(START, s.at()).toSeconds()).toList();
        }

        List<String> statuses() {
            return sent.stream().flatMap(s -> s.assignments().stream()).filter(a -> a.startsWith("STATUS=")).toList();
        }
    }

    private record Sent(Instant at, List<String> assignments) {
    }

    /** A box worker thread: runs what it is given at once, unless stuck (then later) or shut down (refuses it). */
    private static final class WorkerThread implements Scheduler {
        final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        boolean stuck;
        boolean shutDown;

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            if (shutDown) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            if (stuck) {
                queued.add(task);
            } else {
                task.run();
            }
            return () -> { };
        }

        void resume() {
            stuck = false;
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }

        @Override
        public java.time.Clock clock() {
            return java.time.Clock.systemUTC();
        }
    }
}
