package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.List;

/**
 * The JSON of an incident, as {@code GET /api/incidents/{id}} returns it and as it is retained on
 * {@code callbox/<township>/incidents/<id>}. Contract fields (ARCHITECTURE.md): id, kind, state, callbox, raisedAt,
 * recordedAt, units[unit, role, alertedAt, acknowledgedAt], log; the others are additions. Times are ISO-8601 UTC
 * strings; absent times are null.
 *
 * @param escalated the primary unit did not acknowledge in time: the command centre must look
 */
record IncidentView(String id, String kind, String state, String callbox, long sequence, String place,
        String village, double lat, double lon, String raisedAt, String recordedAt, boolean escalated,
        boolean needsPolice, boolean needsAmbulance, String nextEscalationAt, List<UnitView> units,
        List<LogView> log) {

    /** A snapshot of {@code incident}; the caller holds its monitor. */
    static IncidentView of(Incident incident) {
        return new IncidentView(incident.id(), incident.kind().wireName(), incident.state().wireName(),
                incident.callbox(), incident.sequence(), incident.place(), incident.village(), incident.lat(),
                incident.lon(), iso(incident.raisedAt()), iso(incident.recordedAt()), incident.escalated(),
                incident.needsPolice(), incident.needsAmbulance(), iso(incident.nextEscalationAt()),
                incident.units().stream().map(UnitView::of).toList(),
                incident.log().stream().map(LogView::of).toList());
    }

    /** @param byEscalation alerted because the primary unit did not acknowledge in time */
    record UnitView(String unit, String role, String alertedAt, String acknowledgedAt, String acknowledgedBy,
            boolean byEscalation, double distanceKm, String reason) {

        static UnitView of(AlertedUnit u) {
            return new UnitView(u.unit(), u.role().wireName(), iso(u.alertedAt()), iso(u.acknowledgedAt()),
                    u.acknowledgedBy(), u.byEscalation(), Math.round(u.distanceKm() * 1000) / 1000.0, u.reason());
        }
    }

    /** @param type a {@link LogType} wire name: raised, alerted, acknowledged, escalated, on-scene... */
    record LogView(String at, String type, String unit, String member, String text) {

        static LogView of(LogEntry e) {
            return new LogView(iso(e.at()), e.type().wireName(), e.unit(), e.member(), e.text());
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
