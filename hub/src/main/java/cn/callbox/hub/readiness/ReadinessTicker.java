package cn.callbox.hub.readiness;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * When the hub starts, judges every unit once (so that listeners get a first judgement), then every {@link #PERIOD}
 * asks the monitor whether the duty day changed. A failing tick is logged and the next one runs anyway.
 */
final class ReadinessTicker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessTicker.class);
    /** How late after midnight (Asia/Shanghai) the new duty day is judged, at most. */
    static final Duration PERIOD = Duration.ofSeconds(30);

    private final ReadinessMonitor monitor;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> ticks;

    ReadinessTicker(ReadinessMonitor monitor, ScheduledExecutorService scheduler) {
        this.monitor = monitor;
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void start() {
        if (ticks != null) {
            return;
        }
        monitor.judgeAll();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, PERIOD.toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            monitor.tick();
        } catch (RuntimeException e) {
            LOG.error("Readiness tick failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }
}
