package cn.callbox.hub.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observation for the readiness history (docs/history.md names the measurement, tags and fields of each kind).
 * Tags are registry ids: township, village id, unit id, call-box endpoint. Immutable.
 */
public sealed interface HistoryPoint {

    /** When it was observed (the hub's clock at the time of the change, not when it was stored). */
    Instant at();

    /** The unit the point belongs to. */
    String unit();

    /**
     * A unit's readiness after a change (measurement {@code unit_readiness}).
     *
     * @param state the readiness state's wire name: {@code ready}, {@code kit-missing}, {@code understaffed},
     *        {@code box-offline}
     * @param items per item kind, required and present; never null
     */
    record UnitReadiness(Instant at, String township, String village, String unit, String state, boolean ready,
            int onDuty, List<ItemCount> items) implements HistoryPoint {

        public UnitReadiness {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(state, "state");
            items = List.copyOf(items);
        }
    }

    /**
     * Item counts in a box's locker (measurement {@code locker_items}, one series per kind).
     *
     * @param present per item kind wire name, how many are in their slots; only the kinds that changed
     */
    record LockerItems(Instant at, String township, String village, String unit, String box,
            Map<String, Integer> present) implements HistoryPoint {

        public LockerItems {
            Objects.requireNonNull(at, "at");
            present = Map.copyOf(present);
        }
    }

    /** A box going online or offline (measurement {@code callbox_status}). */
    record CallBoxStatus(Instant at, String township, String village, String unit, String box, boolean online)
            implements HistoryPoint {

        public CallBoxStatus {
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * @param kind item kind wire name, e.g. {@code helmet}
     * @param required how many the equipment standard asks for now
     * @param present how many are in the unit's lockers
     */
    record ItemCount(String kind, int required, int present) {
    }
}
