package cn.callbox.hub.history;

import java.time.Instant;
import java.util.List;

/**
 * The time series of unit readiness, locker item counts and box status (issue 3, item 3). Two stores implement it:
 * InfluxDB (with a durable disk buffer while InfluxDB is away) when {@code callbox.influx.url} is set, else the
 * hub's database.
 * <p>
 * Thread-safe. {@link #record} may block (database or network I/O): call it from a background thread, never from a
 * transport thread ({@code HistoryRecorder} does this).
 */
public interface ReadinessHistory {

    /**
     * Stores the points in the given order. A store that cannot reach its backend keeps them (disk buffer) rather than
     * drop them; a store that cannot keep them either throws.
     */
    void record(List<? extends HistoryPoint> points);

    /**
     * The unit's readiness points with {@code from <= at <= to}, oldest first.
     *
     * @throws HistoryUnavailableException when the store cannot be read right now
     */
    List<ReadinessEntry> query(String unitId, Instant from, Instant to);

    /** The store could not answer (e.g. InfluxDB is down). */
    final class HistoryUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public HistoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
