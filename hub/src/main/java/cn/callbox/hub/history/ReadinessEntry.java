package cn.callbox.hub.history;

import java.time.Instant;
import java.util.List;

/**
 * A unit's readiness as it was at one moment, read back from the history.
 *
 * @param items per item kind, in kind order; never null
 */
public record ReadinessEntry(Instant at, String state, boolean ready, int onDuty, List<HistoryPoint.ItemCount> items) {

    public ReadinessEntry {
        items = List.copyOf(items);
    }
}
