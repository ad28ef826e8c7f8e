package cn.callbox.device.system;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tinylog.Logger;

import cn.callbox.device.time.Scheduler;

/**
 * The firmware's side of systemd's service watchdog ({@code Type=notify}, {@code WatchdogSec=} in
 * {@code callbox-edge.service}). {@link #ready} sends {@code READY=1} once the box has started (config loaded,
 * GPIO up; the hub is not waited for, the box works offline); then, if systemd asked for a watchdog, every
 * {@code WATCHDOG_USEC / 2} it runs the {@link HealthCheck}s and sends {@code WATCHDOG=1} only when all pass. While a
 * check fails it sends the problem as {@code STATUS=} instead and no ping, so systemd kills and restarts the
 * firmware when the problem lasts longer than the watchdog time-out; pings resume if it clears before that.
 *
 * <p>Created only under systemd ({@code NOTIFY_SOCKET} set): elsewhere {@link #fromEnvironment} returns empty and the
 * firmware does nothing. Checks and pings run on the given scheduler (the firmware gives it a thread of its own);
 * {@link #ready} and {@link #close} may be called from any thread.
 */
public final class SystemdWatchdog implements AutoCloseable {

    static final String READY = "READY=1";
    static final String WATCHDOG = "WATCHDOG=1";
    static final String STOPPING = "STOPPING=1";

    private final ServiceNotifier notifier;
    private final List<HealthCheck> checks;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Object lock = new Object();
    private Scheduler.Cancellable next;
    private boolean closed;
    private String lastProblem;

    SystemdWatchdog(ServiceNotifier notifier, List<HealthCheck> checks, Scheduler scheduler, Duration interval) {
        this.notifier = notifier;
        this.checks = List.copyOf(checks);
        this.scheduler = scheduler;
        this.interval = interval;
    }

    /**
     * The watchdog for this process, when it runs under systemd.
     *
     * @param environment the process environment ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}, {@code WATCHDOG_PID})
     * @param pid this process's id: a watchdog meant for another process ({@code WATCHDOG_PID}) is not served
     * @param scheduler runs the checks and pings; closed with the watchdog when it is {@link AutoCloseable}
     * @return empty without {@code NOTIFY_SOCKET}
     */
    public static Optional<SystemdWatchdog> fromEnvironment(Map<String, String> environment, long pid,
            ServiceNotifier notifier, List<HealthCheck> checks, Scheduler scheduler) {
        String socket = environment.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new SystemdWatchdog(notifier, checks, scheduler, pingInterval(environment, pid)));
    }

    /**
     * Half the watchdog time-out systemd gives in {@code WATCHDOG_USEC} (as {@code sd_watchdog_enabled(3)} advises);
     * null when there is no watchdog, the value is not a positive number, or {@code WATCHDOG_PID} names another
     * process.
     */
    static Duration pingInterval(Map<String, String> environment, long pid) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return null;
        }
        String watchdogPid = environment.get("WATCHDOG_PID");
        try {
            if (watchdogPid != null && !watchdogPid.isBlank() && Long.parseLong(watchdogPid.trim()) != pid) {
                return null;
            }
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Duration.ofNanos(micros * 1_000 / 2) : null;
        } catch (NumberFormatException e) {
            Logger.warn("Ignoring a malformed systemd watchdog setting: WATCHDOG_USEC={} WATCHDOG_PID={}", usec,
                    watchdogPid);
            return null;
        }
    }

    /** How often the watchdog is pinged; empty when systemd asked for none. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    /**
     * Tells systemd the firmware is up, with {@code status} for {@code systemctl status}, and starts the pings (the
     * first one at once). Call once.
     */
    public void ready(String status) {
        send(READY, "STATUS=" + status);
        if (interval != null) {
            Logger.info("systemd watchdog: pinging every {} s while healthy", interval.toMillis() / 1000.0);
            synchronized (lock) {
                if (!closed) {
                    next = scheduler.schedule(Duration.ZERO, this::tick);
                }
            }
        }
    }

    private void tick() {
        List<String> problems = new ArrayList<>();
        for (HealthCheck check : checks) {
            try {
                check.problem().ifPresent(problems::add);
            } catch (RuntimeException e) {
                problems.add("health check failed: " + e);
            }
        }
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        String[] message;
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (problem == null) {
                if (lastProblem != null) {
                    Logger.info("systemd watchdog: healthy again, pings resume");
                    message = new String[] { WATCHDOG, "STATUS=running" };
                } else {
                    message = new String[] { WATCHDOG };
                }
            } else {
                if (!problem.equals(lastProblem)) {
                    Logger.error("systemd watchdog: {}; withholding the ping, so systemd restarts the firmware "
                            + "unless this clears", problem);
                }
                message = new String[] { "STATUS=unhealthy: " + problem };
            }
            lastProblem = problem;
        }
        // outside the lock: systemd-notify may take a moment, and close() must not wait for it
        send(message);
        synchronized (lock) {
            if (!closed) {
                next = scheduler.schedule(interval, this::tick);
            }
        }
    }

    private void send(String... assignments) {
        try {
            notifier.send(assignments);
        } catch (IOException | RuntimeException e) {
            Logger.warn("systemd notification {} not sent: {}", String.join(" ", assignments), e.getMessage());
        }
    }

    /** Stops the pings and tells systemd the firmware is stopping; closes the scheduler. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel();
            }
        }
        send(STOPPING);
        if (scheduler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                Logger.warn("Watchdog scheduler close: {}", e.getMessage());
            }
        }
    }
}
