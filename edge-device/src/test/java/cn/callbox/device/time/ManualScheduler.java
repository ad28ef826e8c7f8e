package cn.callbox.device.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on virtual time for tests: nothing runs until {@link #advance} moves the clock, which then runs
 * every task that falls due, in time order, with the clock set to each task's due time.
 */
public final class ManualScheduler implements Scheduler {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final ManualClock clock;
    private long order;

    public ManualScheduler(Instant start) {
        this.clock = new ManualClock(start);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), order++, task);
        tasks.add(scheduled);
        return () -> scheduled.cancelled = true;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    public ManualClock manualClock() {
        return clock;
    }

    /** Moves virtual time forward by {@code step}, running everything due on the way. */
    public void advance(Duration step) {
        Instant end = clock.instant().plus(step);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due.isAfter(end)) {
                    break;
                }
                tasks.poll();
                clock.set(next.due);
            }
            if (!next.cancelled) {
                next.task.run();
            }
        }
        clock.set(end);
    }

    /** Runs what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    private static final class Task implements Comparable<Task> {
        final Instant due;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Task(Instant due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = due.compareTo(other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /** A clock that only moves when told to. */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        public void set(Instant instant) {
            now = instant;
        }

        public void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
