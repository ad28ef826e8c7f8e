package cn.callbox.device.time;

import java.time.Clock;
import java.time.Duration;

/**
 * The timing seam of the box: every blink, siren cycle, retry and time-out goes through one of these, so tests can
 * step virtual time instead of sleeping.
 *
 * <p>Tasks of one scheduler run one at a time, in due order, never on the caller's thread. A task that throws is
 * logged by the implementation and does not stop later tasks.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Duration delay, Runnable task);

    /** The clock this scheduler's delays are measured on. */
    Clock clock();

    /** A scheduled task that has not run yet can be called off; cancelling a finished task does nothing. */
    interface Cancellable {
        void cancel();
    }
}
