package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;

/** The commands for an incident carry its id, so that the boxes' waiting commands end with it. */
class IncidentSignalsTest {

    /** Records the incident-aware calls as "what incident box". */
    static final class Recorded implements CallBoxCommands {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void soundSiren(String endpoint, SirenPattern pattern, Duration duration) {
            calls.add("siren - " + endpoint);
        }

        @Override
        public void stopSiren(String endpoint) {
            calls.add("stop - " + endpoint);
        }

        @Override
        public void announce(String endpoint, String text, SoundPriority priority) {
            calls.add("announce - " + endpoint);
        }

        @Override
        public void showCallStatus(String endpoint, CallState state, String incidentId) {
            calls.add("status " + incidentId + " " + endpoint);
        }

        @Override
        public void soundSiren(String incidentId, String endpoint, SirenPattern pattern, Duration duration) {
            calls.add("siren " + incidentId + " " + endpoint);
        }

        @Override
        public void announce(String incidentId, String endpoint, String text, SoundPriority priority) {
            calls.add("announce " + incidentId + " " + endpoint + " " + priority.wireName());
        }

        @Override
        public void stopSiren(String incidentId, String endpoint) {
            calls.add("stop " + incidentId + " " + endpoint);
        }

        @Override
        public void incidentEnded(String incidentId) {
            calls.add("ended " + incidentId);
        }
    }

    private final Recorded commands = new Recorded();
    private final Fakes.Directory directory = new Fakes.Directory().unit("unit-a", 30.8, 108.4,
            List.of("box-1", "box-2"));
    private final IncidentSignals signals = new IncidentSignals(directory, commands, new Fakes.Publisher(),
            Duration.ofSeconds(180));

    @Test
    void sirens_and_announcements_name_their_incident_and_its_end_comes_before_the_stops() {
        IncidentSignals.Alarm alarm = new IncidentSignals.Alarm("inc-1", "panic", "box-1", 1, "村口", "村", 30.8, 108.4,
                Instant.parse("2026-11-29T08:00:00Z"));
        signals.alertUnit(alarm, new DispatchStep("unit-a", AlertRole.PRIMARY, 0, "primary"),
                directory.unit("unit-a").orElseThrow(), new HashSet<>());
        signals.stopSirens("inc-1", List.of("unit-a"));

        assertThat(commands.calls).containsExactly("siren inc-1 box-1", "announce inc-1 box-1 alarm", "siren inc-1 box-2",
                "announce inc-1 box-2 alarm", "ended inc-1", "stop inc-1 box-1", "stop inc-1 box-2");
    }
}
