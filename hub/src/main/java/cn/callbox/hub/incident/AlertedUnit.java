package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.Objects;

import cn.callbox.protocol.AlertRole;

/**
 * A unit alerted for an incident.
 *
 * @param byEscalation alerted because the primary unit did not acknowledge in time
 * @param distanceKm great-circle distance from the pressing box to the unit's home point
 * @param reason why the unit was chosen (English, from the dispatch step)
 * @param acknowledgedAt first acknowledgement by a member of the unit; null until then
 * @param acknowledgedBy the member who acknowledged first; null until then
 */
record AlertedUnit(String unit, AlertRole role, boolean byEscalation, double distanceKm, String reason,
        Instant alertedAt, Instant acknowledgedAt, String acknowledgedBy) {

    AlertedUnit {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(alertedAt, "alertedAt");
        reason = reason == null ? "" : reason;
    }

    boolean acknowledged() {
        return acknowledgedAt != null;
    }

    AlertedUnit acknowledge(Instant at, String member) {
        return new AlertedUnit(unit, role, byEscalation, distanceKm, reason, alertedAt, at, member);
    }
}
