package cn.callbox.hub.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.IncidentKind;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.mqtt.UnitAlert;

/**
 * What the {@link IncidentService} makes boxes and phones do for an incident: sirens and announcements on a unit's
 * boxes with the unit's MQTT alert, the call status on the pressing box, and the sirens stopped when the incident
 * closes. A drill sounds the drill pattern, says the drill texts and never shows a call on a box. A failure of one box
 * or unit is logged and never thrown, so it cannot hold up the others. Thread-safe (stateless).
 */
final class IncidentSignals {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentSignals.class);

    private final TownshipDirectory directory;
    private final CallBoxCommands commands;
    private final AlarmPublisher publisher;
    private final Duration sirenDuration;
    private final Announcements announcements = Announcements.zhCn();

    IncidentSignals(TownshipDirectory directory, CallBoxCommands commands, AlarmPublisher publisher,
            Duration sirenDuration) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.sirenDuration = Objects.requireNonNull(sirenDuration, "sirenDuration");
    }

    /**
     * Siren and announcement on the unit's boxes (each box once per {@code sounded} set), then the MQTT alert.
     *
     * @param unit the unit from the registry; null when it is not there (then only the pressing box sounds, for the
     *        primary unit)
     * @param sounded boxes already sounded by this dispatch; the boxes sounded now are added
     */
    void alertUnit(Alarm alarm, DispatchStep step, UnitInfo unit, Set<String> sounded) {
        List<String> boxes;
        if (unit != null) {
            boxes = unit.callBoxes();
        } else {
            LOG.warn("Unit {} of incident {} is not in the registry; it gets the MQTT alert only", step.unit(),
                    alarm.id());
            boxes = step.role() == AlertRole.PRIMARY && alarm.callbox() != null ? List.of(alarm.callbox()) : List.of();
        }
        boolean drill = IncidentKind.DRILL.wireName().equals(alarm.kind());
        SirenPattern pattern = drill ? SirenPattern.DRILL : SirenPattern.ALARM;
        String text = drill ? announcements.drill(alarm.place()) : announcements.alarm(alarm.place());
        for (String box : boxes) {
            if (sounded.add(box)) {
                command(alarm.id(), box, () -> commands.soundSiren(alarm.id(), box, pattern, sirenDuration));
                command(alarm.id(), box, () -> commands.announce(alarm.id(), box, text, SoundPriority.of(pattern)));
            }
        }
        String said = drill ? announcements.drillAlert(alarm.place(), alarm.village(), alarm.id())
                : announcements.alert(step.role(), alarm.place(), alarm.village(), alarm.id());
        UnitAlert message = new UnitAlert(alarm.id(), alarm.kind(), step.role().wireName(), alarm.callbox(),
                alarm.place(), alarm.village(), alarm.lat(), alarm.lon(), alarm.raisedAt().toString(), said);
        try {
            publisher.publishAlert(step.unit(), message);
        } catch (RuntimeException e) {
            LOG.error("Could not publish the alert of incident {} to unit {}", alarm.id(), step.unit(), e);
        }
    }

    /**
     * Shows the call's state on the pressing box; nothing for a drill (nobody pressed a box). The caller holds the
     * incident's monitor, so that the box's lamp ends with the latest change.
     */
    void callStatus(Incident incident, CallState state) {
        if (incident.drill() || incident.callbox() == null) {
            return;
        }
        command(incident.id(), incident.callbox(),
                () -> commands.showCallStatus(incident.callbox(), state, incident.id()));
    }

    /** Closing an incident silences the sirens it started (they would run out by themselves later). */
    void stopSirens(String incidentId, List<String> unitIds) {
        // sirens and announcements still waiting for a box that has not registered again must never start now
        command(incidentId, "(waiting)", () -> commands.incidentEnded(incidentId));
        Set<String> stopped = new HashSet<>();
        for (String unitId : unitIds) {
            try {
                directory.unit(unitId).ifPresent(unit -> unit.callBoxes().stream().filter(stopped::add)
                        .forEach(box -> command(incidentId, box, () -> commands.stopSiren(incidentId, box))));
            } catch (RuntimeException e) {
                LOG.warn("Could not stop the sirens of unit {} for incident {}: {}", unitId, incidentId,
                        e.toString());
            }
        }
    }

    private static void command(String incidentId, String box, Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            LOG.error("Command to call box {} for incident {} failed", box, incidentId, e);
        }
    }

    /** What an alert says about the incident, copied under its monitor. */
    record Alarm(String id, String kind, String callbox, long sequence, String place, String village, double lat,
            double lon, Instant raisedAt) {

        static Alarm of(Incident i) {
            return new Alarm(i.id(), i.kind().wireName(), i.callbox(), i.sequence(), i.place(), i.village(), i.lat(),
                    i.lon(), i.raisedAt());
        }
    }
}
