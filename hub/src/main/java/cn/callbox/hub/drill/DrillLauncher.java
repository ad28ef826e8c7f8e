package cn.callbox.hub.drill;

import java.util.Optional;

import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * What the drill feature needs of the alarm path: raising a drill incident and reading incidents back. The hub's
 * implementation is {@link IncidentDrillLauncher}; tests use a fake.
 */
interface DrillLauncher {

    /**
     * Raises a drill incident now: the unit is alerted as primary (drill siren, announcement, MQTT alert), with no
     * escalation to other units.
     *
     * @param actor who starts it (user name, or {@code system})
     * @return the new incident
     */
    IncidentSnapshot start(String unitId, String actor);

    /** The incident's current state; empty for an unknown id. */
    Optional<IncidentSnapshot> incident(String incidentId);
}
