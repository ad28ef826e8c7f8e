package cn.callbox.hub.drill;

import java.time.Instant;
import java.util.Objects;

/**
 * A drill that was started: one drill incident of one unit.
 *
 * @param id {@code DRL-<yyyyMMdd>-<6 chars>}
 * @param incidentId the drill incident the incident service raised
 * @param startedBy the user name of who started it, or {@code system} for the auto-start
 * @param planId the plan entry it ran; null for a drill started outside the plan
 */
record Drill(String id, String unitId, String incidentId, Instant startedAt, String startedBy, String planId) {

    Drill {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(startedBy, "startedBy");
    }
}
