package cn.callbox.hub.incident;

import java.time.Instant;

import cn.callbox.protocol.mqtt.IncidentSnapshot;

/** Renders an incident as the wire contract's {@link IncidentSnapshot} (REST body and retained MQTT payload). */
final class IncidentView {

    private IncidentView() {
    }

    /** A snapshot of {@code incident}; the caller holds its monitor. */
    static IncidentSnapshot of(Incident incident) {
        return new IncidentSnapshot(incident.id(), incident.kind().wireName(), incident.state().wireName(),
                incident.callbox(), incident.sequence(), incident.place(), incident.village(), incident.lat(),
                incident.lon(), iso(incident.raisedAt()), iso(incident.recordedAt()), incident.escalated(),
                incident.needsPolice(), incident.needsAmbulance(), iso(incident.nextEscalationAt()),
                incident.units().stream().map(IncidentView::unit).toList(),
                incident.log().stream().map(IncidentView::line).toList(), incident.presses().size(),
                incident.presses().stream().map(p -> iso(p.pressedAt())).toList(),
                incident.log().stream().filter(e -> e.type() == LogType.PRESS_TIME_IMPLAUSIBLE).map(LogEntry::text)
                        .toList());
    }

    private static IncidentSnapshot.AlertedUnit unit(AlertedUnit u) {
        return new IncidentSnapshot.AlertedUnit(u.unit(), u.role().wireName(), iso(u.alertedAt()),
                iso(u.acknowledgedAt()), u.acknowledgedBy(), u.byEscalation(),
                Math.round(u.distanceKm() * 1000) / 1000.0, u.reason());
    }

    private static IncidentSnapshot.LogLine line(LogEntry e) {
        return new IncidentSnapshot.LogLine(iso(e.at()), e.type().wireName(), e.unit(), e.member(), e.text());
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
