package cn.callbox.hub.rectification;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link RectificationService#tick()} every 30 s on its own daemon thread; a failing tick is logged. */
final class RectificationTicker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RectificationTicker.class);
    static final long PERIOD_S = 30;

    private final RectificationService service;
    private ScheduledExecutorService scheduler;

    RectificationTicker(RectificationService service) {
        this.service = service;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rectification-ticker");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, PERIOD_S, PERIOD_S, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            service.tick();
        } catch (RuntimeException e) {
            LOG.error("Rectification tick failed", e);
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
