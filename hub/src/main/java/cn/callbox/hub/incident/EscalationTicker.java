package cn.callbox.hub.incident;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link IncidentService#tick()} every second on its own daemon thread, after loading the open incidents back
 * ({@link IncidentService#recover()}) when the hub starts. A failing tick is logged and the next one runs anyway.
 */
final class EscalationTicker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EscalationTicker.class);

    private final IncidentService incidents;
    private ScheduledExecutorService scheduler;

    EscalationTicker(IncidentService incidents) {
        this.incidents = incidents;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        incidents.recover();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "incident-ticker");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            incidents.tick();
        } catch (RuntimeException e) {
            LOG.error("Incident tick failed", e);
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
