package cn.callbox.protocol.mqtt;

import java.util.List;

/**
 * An incident's current state: the body of {@code GET /api/incidents/{id}} and the retained payload of
 * {@code callbox/<township>/incidents/<id>}. Contract fields (ARCHITECTURE.md): id, kind, state, callbox, raisedAt,
 * recordedAt, units[unit, role, alertedAt, acknowledgedAt], log; the others are additions. Enumerated fields carry
 * wire names; times are ISO-8601 UTC strings, null when absent.
 *
 * @param kind panic, drill or test
 * @param state raised, acknowledged, responding, resolved or false-alarm
 * @param sequence the box's alarm sequence number: with the callbox, the incident's dedup key
 * @param raisedAt when the button was pressed, by the box's clock
 * @param recordedAt when the hub recorded the incident
 * @param escalated the primary unit did not acknowledge in time: the command centre must look
 * @param nextEscalationAt when the next unit is alerted unless someone acknowledges; null when no escalation is due
 * @param presses how many presses of the box's panic button the incident holds (1 for a single press, 0 for a drill)
 * @param pressTimes when each of those presses happened, in the order recorded (the box's times, or the hub's where
 *        the box's was missing or implausible)
 * @param warnings what the command centre should know about the incident's data, in English (e.g. a box reported an
 *        implausible press time); empty when nothing
 */
public record IncidentSnapshot(String id, String kind, String state, String callbox, long sequence, String place,
        String village, double lat, double lon, String raisedAt, String recordedAt, boolean escalated,
        boolean needsPolice, boolean needsAmbulance, String nextEscalationAt, List<AlertedUnit> units,
        List<LogLine> log, int presses, List<String> pressTimes, List<String> warnings) {

    /**
     * @param role primary or support
     * @param byEscalation alerted because the primary unit did not acknowledge in time
     * @param distanceKm from the call box to the unit's home point
     * @param reason why the unit was chosen, in English
     */
    public record AlertedUnit(String unit, String role, String alertedAt, String acknowledgedAt,
            String acknowledgedBy, boolean byEscalation, double distanceKm, String reason) {
    }

    /** @param type raised, alerted, acknowledged, escalated, on-scene, needs-police... */
    public record LogLine(String at, String type, String unit, String member, String text) {
    }
}
