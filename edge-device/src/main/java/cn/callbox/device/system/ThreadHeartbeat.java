package cn.callbox.device.system;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import cn.callbox.device.time.Scheduler;

/**
 * The box's worker threads (siren and lamp timing, outbox delivery) still run tasks. Each check first looks whether
 * the probe posted by the previous check has run on every thread, then posts a new one; so a thread that died or is
 * stuck in a task is reported at the second check after it stopped. The first check only posts.
 * Not thread-safe: call from one thread (the watchdog's).
 */
public final class ThreadHeartbeat implements HealthCheck {

    private final Map<String, Scheduler> threads;
    private final Map<String, AtomicBoolean> answered = new LinkedHashMap<>();

    /** @param threads the worker threads by name, as they appear in thread dumps */
    public ThreadHeartbeat(Map<String, Scheduler> threads) {
        this.threads = new LinkedHashMap<>(threads);
    }

    @Override
    public Optional<String> problem() {
        StringBuilder stuck = new StringBuilder();
        answered.forEach((name, ran) -> {
            if (!ran.get()) {
                stuck.append(stuck.length() == 0 ? "" : ", ").append(name);
            }
        });
        threads.forEach((name, scheduler) -> {
            AtomicBoolean ran = answered.get(name);
            // a thread that has not answered keeps its old probe: posting another would only queue behind it
            if (ran == null || ran.get()) {
                AtomicBoolean probe = new AtomicBoolean();
                answered.put(name, probe);
                try {
                    scheduler.schedule(Duration.ZERO, () -> probe.set(true));
                } catch (RuntimeException e) {
                    // a shut-down executor refuses new tasks: it stays unanswered and is reported next time
                }
            }
        });
        return stuck.length() == 0 ? Optional.empty() : Optional.of("thread(s) not running tasks: " + stuck);
    }
}
