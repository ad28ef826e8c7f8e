package cn.callbox.systemtest;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; the failure message says what never happened. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // the process may still be starting: keep polling
            }
            pause(50);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what, last);
    }

    /** Polls until {@code value} gives something other than null, and returns it. */
    static <T> T value(String what, Duration timeout, Supplier<T> value) {
        Object[] found = new Object[1];
        until(what, timeout, () -> {
            found[0] = value.get();
            return found[0] != null;
        });
        @SuppressWarnings("unchecked")
        T result = (T) found[0];
        return result;
    }

    /** Holds for the whole duration, failing at the first moment the condition is false. */
    static void holds(String what, Duration duration, Supplier<Boolean> condition) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!Boolean.TRUE.equals(condition.get())) {
                throw new AssertionError("no longer true: " + what);
            }
            pause(100);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
