package cn.callbox.hub.supervision;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link Supervisor#tick()} every {@code sweepInterval} on its own daemon thread. A failing tick is logged and
 * the next one runs anyway.
 */
final class SupervisionTicker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisionTicker.class);

    private final Supervisor supervisor;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    SupervisionTicker(Supervisor supervisor, SupervisionProperties settings) {
        this.supervisor = supervisor;
        this.intervalMillis = Math.max(1, settings.sweepInterval().toMillis());
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervision-ticker");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            supervisor.tick();
        } catch (RuntimeException e) {
            LOG.error("Supervision tick failed", e);
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
