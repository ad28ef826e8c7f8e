package cn.callbox.hub.readiness;

import java.util.List;

/** Judges whether a unit is ready right now (DOMAIN.md: duty rules and the equipment standard). */
public interface ReadinessService {

    /** @throws java.util.NoSuchElementException for an unknown unit */
    UnitReadiness readinessOf(String unitId);

    /**
     * @param ready a leader and at least 3 on duty, and every required item present
     * @param onDuty today's on-duty headcount, the leader included
     * @param leaderId today's duty leader, null when none
     * @param items per item kind: required count (per-member items × on-duty count, unit items) and present count
     * @param problems why not ready, one short English phrase each (e.g. "helmet 2 of 3")
     */
    record UnitReadiness(String unitId, boolean ready, int onDuty, String leaderId, List<ItemReadiness> items,
            List<String> problems) {
    }

    /** @param kind item kind wire name */
    record ItemReadiness(String kind, int required, int present) {
    }
}
