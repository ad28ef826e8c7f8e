package cn.callbox.hub.readiness;

import java.util.List;
import java.util.Objects;

/** Judges whether a unit is ready right now (DOMAIN.md: duty rules and the equipment standard). */
public interface ReadinessService {

    /** @throws java.util.NoSuchElementException for an unknown unit */
    UnitReadiness readinessOf(String unitId);

    /**
     * A unit's state, wire names as in {@code GET /api/units/{id}}. When several apply, the first in this order wins:
     * an offline box makes the hub blind to part of the locker, so it outranks what the lockers say; a missing
     * leader or headcount outranks missing kit, because kit without people cannot respond.
     */
    enum State {
        /** One of the unit's call boxes is offline (or was never seen since the hub started). */
        BOX_OFFLINE("box-offline"),
        /** No duty leader today, or fewer than 3 on duty (the leader included). */
        UNDERSTAFFED("understaffed"),
        /** A required item is below the count the standard asks for today's headcount. */
        KIT_MISSING("kit-missing"),
        /** None of the above. */
        READY("ready");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The wire name, so that a state written as text reads like the API. */
        @Override
        public String toString() {
            return wireName;
        }
    }

    /**
     * @param state the unit's state (see {@link State} for the precedence)
     * @param onDuty today's on-duty headcount, the leader included
     * @param leaderId today's duty leader, null when none
     * @param items per item kind: required count (per-member items × on-duty count, unit items; optional kit with 0)
     *        and present count (summed over the unit's boxes, last known counts of offline boxes included)
     * @param problems every problem found, one short English phrase each (e.g. "helmet 2 of 3"), also those hidden
     *        by the state's precedence
     */
    record UnitReadiness(String unitId, State state, int onDuty, String leaderId, List<ItemReadiness> items,
            List<String> problems) {

        public UnitReadiness {
            Objects.requireNonNull(state, "state");
            items = List.copyOf(items);
            problems = List.copyOf(problems);
        }

        /** Ready right now: a leader and at least 3 on duty, every required item present, every box online. */
        public boolean ready() {
            return state == State.READY;
        }

        /** The item of that kind (wire name); null when the standard does not list it. */
        public ItemReadiness item(String kind) {
            for (ItemReadiness item : items) {
                if (item.kind().equals(kind)) {
                    return item;
                }
            }
            return null;
        }
    }

    /** @param kind item kind wire name */
    record ItemReadiness(String kind, int required, int present) {

        /** Fewer present than required. */
        public boolean missing() {
            return present < required;
        }
    }
}
