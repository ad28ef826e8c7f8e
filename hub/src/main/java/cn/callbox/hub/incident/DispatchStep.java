package cn.callbox.hub.incident;

import java.util.Objects;

import cn.callbox.protocol.AlertRole;

/**
 * One routing step of a dispatch plan: alert {@code unit} in {@code role}.
 *
 * @param distanceKm great-circle distance from the pressing box to the unit's home point, in km
 * @param reason why this unit, in English (kept in the incident's log)
 */
record DispatchStep(String unit, AlertRole role, double distanceKm, String reason) {

    DispatchStep {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(reason, "reason");
    }
}
