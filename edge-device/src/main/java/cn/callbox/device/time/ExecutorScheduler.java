package cn.callbox.device.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/** A {@link Scheduler} on one daemon thread of a {@link ScheduledExecutorService}, measured on the system clock. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private final ScheduledExecutorService executor;
    private final Clock clock;

    /** @param threadName name of the single worker thread, for logs and thread dumps */
    public ExecutorScheduler(String threadName, Clock clock) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // a failing blink or retry must never kill the thread that drives the siren
                Logger.error(e, "Scheduled task failed");
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
