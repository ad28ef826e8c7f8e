package cn.callbox.hub.system;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a clock-driven {@code tick()} (escalation, supervision sweep, overdue tasks...) at a fixed delay on its own
 * daemon thread while the application runs. The logic under the tick reads the injected {@link java.time.Clock}, so
 * tests call the tick directly instead of waiting for this. A failing tick is logged and the next one runs anyway.
 */
public final class PeriodicTicker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTicker.class);

    private final String name;
    private final long intervalMillis;
    private final Runnable onStart;
    private final Runnable tick;
    private ScheduledExecutorService scheduler;

    /**
     * @param name thread name, also used in log lines
     * @param interval delay between the end of one tick and the start of the next
     * @param onStart run once on the starting thread before the first tick (e.g. reloading state); may throw to stop
     *        the application from starting
     * @param tick the periodic work
     */
    public PeriodicTicker(String name, Duration interval, Runnable onStart, Runnable tick) {
        this.name = Objects.requireNonNull(name, "name");
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.onStart = Objects.requireNonNull(onStart, "onStart");
        this.tick = Objects.requireNonNull(tick, "tick");
    }

    public static PeriodicTicker every(String name, Duration interval, Runnable tick) {
        return new PeriodicTicker(name, interval, () -> {
        }, tick);
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        onStart.run();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::runTick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void runTick() {
        try {
            tick.run();
        } catch (RuntimeException e) {
            LOG.error("{} tick failed", name, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
