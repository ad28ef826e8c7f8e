package cn.callbox.hub.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.IncidentKind;

/**
 * An incident: one alarm of one call box (or a drill of one unit), the units alerted for it and its append-only log.
 * <p>
 * Not thread-safe on its own: the {@link IncidentService} holds the incident's monitor around every read and change,
 * so that a change, its persistence and its publication happen in one order.
 */
final class Incident {

    private final String id;
    private final IncidentKind kind;
    private final String callbox;
    private final long sequence;
    private final String place;
    private final String village;
    private final double lat;
    private final double lon;
    private final Instant raisedAt;
    private final Instant recordedAt;
    private IncidentState state;
    private boolean escalated;
    private boolean needsPolice;
    private boolean needsAmbulance;
    private Instant nextEscalationAt;
    private final Map<String, AlertedUnit> units = new LinkedHashMap<>();
    private final List<LogEntry> log = new ArrayList<>();
    private final List<Press> presses = new ArrayList<>();

    /** Everything as stored; used by {@link #raise} and by stores loading an incident back. */
    Incident(String id, IncidentKind kind, String callbox, long sequence, String place, String village, double lat,
            double lon, Instant raisedAt, Instant recordedAt, IncidentState state, boolean escalated,
            boolean needsPolice, boolean needsAmbulance, Instant nextEscalationAt, List<AlertedUnit> units,
            List<LogEntry> log, List<Press> presses) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.callbox = callbox; // null only for a drill of a unit without a call box
        this.sequence = sequence;
        this.place = place == null ? "" : place;
        this.village = village == null ? "" : village;
        this.lat = lat;
        this.lon = lon;
        this.raisedAt = Objects.requireNonNull(raisedAt, "raisedAt");
        this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
        this.state = Objects.requireNonNull(state, "state");
        this.escalated = escalated;
        this.needsPolice = needsPolice;
        this.needsAmbulance = needsAmbulance;
        this.nextEscalationAt = nextEscalationAt;
        units.forEach(u -> this.units.put(u.unit(), u));
        this.log.addAll(log);
        this.presses.addAll(presses);
    }

    /**
     * A new panic incident in state raised, with its first press and log entry (and a warning entry when the hub
     * replaced an implausible press time).
     */
    static Incident raise(String id, String callbox, Press press, String place, String village, double lat,
            double lon) {
        Incident incident = new Incident(id, IncidentKind.PANIC, callbox, press.sequence(), place, village, lat, lon,
                press.pressedAt(), press.recordedAt(), IncidentState.RAISED, false, false, false, null, List.of(),
                List.of(), List.of());
        incident.presses.add(press);
        incident.append(new LogEntry(press.recordedAt(), LogType.RAISED, null, null,
                "panic button of " + callbox + " pressed (alarm #" + press.sequence() + ") at " + place));
        incident.warnIfImplausible(press);
        return incident;
    }

    /**
     * A new drill of one unit in state raised: the unit alerted as primary, no escalation.
     *
     * @param distanceKm from the drill's place to the unit's home point
     * @param callbox the unit's first call box; null when the unit has none
     * @param number the hub's drill counter (kept as the incident's sequence)
     */
    static Incident drill(String id, String unitId, double distanceKm, String callbox, long number, String place,
            String village, double lat, double lon, String actor, Instant at) {
        Incident incident = new Incident(id, IncidentKind.DRILL, callbox, number, place, village, lat, lon, at, at,
                IncidentState.RAISED, false, false, false, null, List.of(), List.of(), List.of());
        incident.append(new LogEntry(at, LogType.RAISED, unitId, null,
                "drill #" + number + " of " + unitId + " started by " + actor + " at " + incident.place));
        incident.alert(new DispatchStep(unitId, AlertRole.PRIMARY, distanceKm, "drill of the unit"), false, at);
        return incident;
    }

    // --- reads

    String id() {
        return id;
    }

    IncidentKind kind() {
        return kind;
    }

    /** The pressing box; null for a drill of a unit without a call box. */
    String callbox() {
        return callbox;
    }

    boolean drill() {
        return kind == IncidentKind.DRILL;
    }

    long sequence() {
        return sequence;
    }

    String place() {
        return place;
    }

    String village() {
        return village;
    }

    double lat() {
        return lat;
    }

    double lon() {
        return lon;
    }

    Instant raisedAt() {
        return raisedAt;
    }

    Instant recordedAt() {
        return recordedAt;
    }

    IncidentState state() {
        return state;
    }

    boolean escalated() {
        return escalated;
    }

    boolean needsPolice() {
        return needsPolice;
    }

    boolean needsAmbulance() {
        return needsAmbulance;
    }

    /** When the next escalation is due; null when none is. */
    Instant nextEscalationAt() {
        return nextEscalationAt;
    }

    /** Alerted units in the order they were alerted. */
    List<AlertedUnit> units() {
        return List.copyOf(units.values());
    }

    Optional<AlertedUnit> unit(String unitId) {
        return Optional.ofNullable(units.get(unitId));
    }

    List<LogEntry> log() {
        return List.copyOf(log);
    }

    /** The presses of the box's panic button this incident holds, in the order recorded; empty for a drill. */
    List<Press> presses() {
        return List.copyOf(presses);
    }

    boolean anyAcknowledged() {
        return units.values().stream().anyMatch(AlertedUnit::acknowledged);
    }

    /** True when {@code member} already has an acknowledged entry for {@code unitId}. */
    boolean acknowledgedBy(String unitId, String member) {
        return log.stream().anyMatch(e -> e.type() == LogType.ACKNOWLEDGED && unitId.equals(e.unit())
                && member.equals(e.member()));
    }

    // --- changes

    /**
     * Another press of the box's panic button joins this incident: counted and logged, nobody alerted again.
     *
     * @param why why the press joined this incident rather than raising a new one, in English
     */
    void attach(Press press, String why) {
        presses.add(press);
        append(new LogEntry(press.recordedAt(), LogType.PRESSED_AGAIN, null, null, "panic button of " + callbox
                + " pressed again (alarm #" + press.sequence() + ", press " + presses.size() + "): " + why));
        warnIfImplausible(press);
    }

    private void warnIfImplausible(Press press) {
        if (press.reportedAt() != null && press.timeReplaced()) {
            append(new LogEntry(press.recordedAt(), LogType.PRESS_TIME_IMPLAUSIBLE, null, null, "call box "
                    + callbox + " reported alarm #" + press.sequence() + " pressed at " + press.reportedAt()
                    + ", which cannot be right; recorded with the hub's time " + press.pressedAt()
                    + ": check the box's clock"));
        }
    }

    /** Alerts a unit (once: a unit already alerted keeps its first alert); returns false when it already was. */
    boolean alert(DispatchStep step, boolean byEscalation, Instant at) {
        if (units.containsKey(step.unit())) {
            return false;
        }
        units.put(step.unit(), new AlertedUnit(step.unit(), step.role(), byEscalation, step.distanceKm(),
                step.reason(), at, null, null));
        append(new LogEntry(at, LogType.ALERTED, step.unit(), null, step.role().wireName() + ": " + step.reason()));
        return true;
    }

    /**
     * Records a member's acknowledgement for an alerted unit. The unit's first acknowledgement wins its
     * {@code acknowledgedAt}; a later member of the same unit is logged only; the same member twice changes nothing.
     * The first acknowledgement of the incident moves it to acknowledged; one from the primary unit or a unit alerted
     * by escalation stops escalation.
     *
     * @return false when nothing changed
     */
    boolean acknowledge(String unitId, String member, Instant at) {
        AlertedUnit unit = units.get(unitId);
        if (unit == null || acknowledgedBy(unitId, member)) {
            return false;
        }
        if (!unit.acknowledged()) {
            units.put(unitId, unit.acknowledge(at, member));
        }
        if (state == IncidentState.RAISED) {
            state = IncidentState.ACKNOWLEDGED;
        }
        if (unit.role() == AlertRole.PRIMARY || unit.byEscalation()) {
            nextEscalationAt = null;
        }
        append(new LogEntry(at, LogType.ACKNOWLEDGED, unitId, member,
                "member " + member + " of " + unitId + " acknowledged"));
        return true;
    }

    /**
     * Records that an alerted unit's locker opened (muster evidence), once per unit: later openings change nothing.
     *
     * @return false when the unit was not alerted or its muster is already recorded
     */
    boolean mustered(String unitId, Instant at) {
        AlertedUnit unit = units.get(unitId);
        if (unit == null || log.stream().anyMatch(e -> e.type() == LogType.MUSTER && unitId.equals(e.unit()))) {
            return false;
        }
        long seconds = Math.max(0, Duration.between(unit.alertedAt(), at).toSeconds());
        append(new LogEntry(at, LogType.MUSTER, unitId, null,
                "locker opened " + seconds + " s after the alert"));
        return true;
    }

    /**
     * Logs that the unit's kit is back in its locker after its muster, on an open or closed incident (kit usually
     * comes back after the incident is resolved).
     *
     * @return false when the unit has no muster on this incident or its return is already recorded
     */
    boolean equipmentReturned(String unitId, Instant at) {
        if (log.stream().noneMatch(e -> e.type() == LogType.MUSTER && unitId.equals(e.unit()))
                || log.stream().anyMatch(e -> e.type() == LogType.EQUIPMENT_RETURNED && unitId.equals(e.unit()))) {
            return false;
        }
        append(new LogEntry(at, LogType.EQUIPMENT_RETURNED, unitId, null, "locker items all back after the muster"));
        return true;
    }

    /** Applies a report from the scene; the caller checked that the incident is open. */
    void report(ReportStatus status, String note, Instant at) {
        switch (status) {
            case ON_SCENE -> {
                state = IncidentState.RESPONDING;
                nextEscalationAt = null; // someone is there: no more units are pulled in automatically
            }
            case NEEDS_POLICE -> needsPolice = true;
            case NEEDS_AMBULANCE -> needsAmbulance = true;
            case RESOLVED -> close(IncidentState.RESOLVED);
            case FALSE_ALARM -> close(IncidentState.FALSE_ALARM);
        }
        append(new LogEntry(at, status.logType(), null, null, note == null || note.isBlank() ? status.wireName()
                : status.wireName() + ": " + note.strip()));
    }

    /**
     * The command centre alerts one more unit by hand (once per unit).
     *
     * @return false when the unit already was alerted
     */
    boolean alertedBy(String unitId, AlertRole role, double distanceKm, String actor, Instant at) {
        if (units.containsKey(unitId)) {
            return false;
        }
        String reason = "alerted by " + actor + " (command centre)";
        units.put(unitId, new AlertedUnit(unitId, role, false, distanceKm, reason, at, null, null));
        append(new LogEntry(at, LogType.ALERTED, unitId, null, role.wireName() + ": " + reason));
        return true;
    }

    /** The command centre called the police; the caller checked that the incident is open. */
    void policeCalled(String actor, String note, Instant at) {
        needsPolice = true;
        append(new LogEntry(at, LogType.POLICE_CALLED, null, null, withNote("police called by " + actor, note)));
    }

    /**
     * The command centre closes the incident: {@code resolved} (log {@code closed}) or {@code false-alarm}; the caller
     * checked that the incident is open.
     */
    void closedBy(IncidentState closed, String actor, String note, Instant at) {
        if (!closed.closed()) {
            throw new IllegalArgumentException("not a closed state: " + closed);
        }
        close(closed);
        LogType type = closed == IncidentState.FALSE_ALARM ? LogType.FALSE_ALARM : LogType.CLOSED;
        String what = closed == IncidentState.FALSE_ALARM ? "false alarm" : "closed";
        append(new LogEntry(at, type, null, null, withNote(what + " by " + actor, note)));
    }

    private static String withNote(String text, String note) {
        return note == null || note.isBlank() ? text : text + ": " + note.strip();
    }

    /** Schedules the next escalation; null for none. */
    void escalateAt(Instant at) {
        nextEscalationAt = at;
    }

    /** Records an escalation: the command centre is flagged and the next one scheduled. */
    void escalated(DispatchStep step, Instant at, Instant next) {
        escalated = true;
        alert(step, true, at);
        append(new LogEntry(at, LogType.ESCALATED, step.unit(), null, "primary unit did not acknowledge in time; "
                + step.unit() + " alerted; command centre flagged"));
        nextEscalationAt = next;
    }

    /** Escalation was due but nobody is left to alert: flag the command centre and stop. */
    void escalationExhausted(Instant at) {
        escalated = true;
        nextEscalationAt = null;
        append(new LogEntry(at, LogType.ESCALATION_EXHAUSTED, null, null,
                "primary unit did not acknowledge in time and no unit is left to alert; command centre flagged"));
    }

    private void close(IncidentState closed) {
        state = closed;
        nextEscalationAt = null;
    }

    private void append(LogEntry entry) {
        log.add(entry);
    }
}
