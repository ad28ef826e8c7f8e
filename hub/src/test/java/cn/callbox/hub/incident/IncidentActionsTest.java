package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.mqtt.UnitAlert;

/** The command centre's incident actions and every member's acknowledgement, against the fakes on H2. */
class IncidentActionsTest {

    final Fakes.Directory directory = IncidentServiceTest.township();
    final Fakes.Commands commands = new Fakes.Commands();
    final Fakes.Publisher publisher = new Fakes.Publisher();
    final MutableClock clock = new MutableClock(IncidentServiceTest.T0);
    DataSource db;
    Fakes.SwitchableStore store;
    IncidentService service;

    @BeforeEach
    void setUp() {
        db = Fakes.database();
        store = new Fakes.SwitchableStore(Fakes.store(db));
        service = IncidentServiceTest.service(directory, new Fakes.Readiness(), commands, publisher, store, clock);
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    String raise() {
        return service.receive(new AlarmRecord("box-a", 7, IncidentServiceTest.PRESSED));
    }

    IncidentSnapshot view(String id) {
        return service.find(id).orElseThrow();
    }

    // ------------------------------------------------------------------ alert one more unit

    @Test
    void the_command_centre_alerts_one_more_unit_as_support_with_sirens_announcement_and_mqtt() {
        String id = raise();
        commands.calls.clear();
        clock.advance(Duration.ofSeconds(30));

        IncidentSnapshot v = service.alertSupport(id, "unit-e", "disp1");

        assertThat(v.units()).extracting(IncidentSnapshot.AlertedUnit::unit).containsExactly("unit-a", "unit-b",
                "unit-c", "unit-e");
        IncidentSnapshot.AlertedUnit e = v.units().get(3);
        assertThat(e.role()).isEqualTo("support");
        assertThat(e.byEscalation()).isFalse();
        assertThat(e.alertedAt()).isEqualTo("2026-11-29T02:00:30Z");
        assertThat(e.distanceKm()).isGreaterThan(8.0);
        assertThat(v.log()).last().satisfies(l -> {
            assertThat(l.type()).isEqualTo("alerted");
            assertThat(l.unit()).isEqualTo("unit-e");
            assertThat(l.text()).contains("by disp1");
        });
        assertThat(commands.starting("siren")).containsExactly("siren box-e alarm PT3M");
        assertThat(commands.starting("announce box-e")).singleElement().asString().contains("后山场镇集市");
        assertThat(publisher.alertedUnits()).endsWith("unit-e");
        UnitAlert alert = publisher.alerts.get(publisher.alerts.size() - 1).getValue();
        assertThat(alert.role()).isEqualTo("support");
        assertThat(alert.kind()).isEqualTo("panic");
        assertThat(store.findById(id).orElseThrow().unit("unit-e")).isPresent();
    }

    @Test
    void alerting_an_unknown_or_already_alerted_unit_or_on_a_closed_incident_is_refused_and_changes_nothing() {
        String id = raise();
        IncidentSnapshot before = view(id);
        int alerts = publisher.alerts.size();

        assertThatThrownBy(() -> service.alertSupport(id, "unit-nope", "disp1"))
                .isInstanceOf(UnknownUnitException.class);
        assertThatThrownBy(() -> service.alertSupport(id, "unit-b", "disp1"))
                .isInstanceOf(UnitAlreadyAlertedException.class);
        assertThatThrownBy(() -> service.alertSupport("INC-00000000-NOPE00", "unit-e", "disp1"))
                .isInstanceOf(IncidentNotFoundException.class);
        assertThat(view(id)).isEqualTo(before);

        service.close(id, "disp1", null);
        IncidentSnapshot closed = view(id);
        assertThatThrownBy(() -> service.alertSupport(id, "unit-e", "disp1"))
                .isInstanceOf(IncidentClosedException.class);
        assertThat(view(id)).isEqualTo(closed);
        assertThat(publisher.alerts).hasSize(alerts);
    }

    @Test
    void a_support_unit_alerted_by_hand_does_not_stop_the_escalation_of_a_silent_primary() {
        String id = raise();
        service.alertSupport(id, "unit-e", "disp1");
        service.acknowledged("unit-e", id, "m-e1");

        clock.advance(IncidentServiceTest.DELAY);
        service.tick();

        assertThat(view(id).escalated()).isTrue();
        assertThat(publisher.alertedUnits()).contains("unit-d");
    }

    // ------------------------------------------------------------------ police

    @Test
    void calling_the_police_flags_the_incident_and_logs_who_and_the_note() {
        String id = raise();

        IncidentSnapshot v = service.callPolice(id, "disp1", "有人持刀");

        assertThat(v.needsPolice()).isTrue();
        assertThat(v.state()).isEqualTo("raised");
        assertThat(v.log()).last().satisfies(l -> {
            assertThat(l.type()).isEqualTo("police-called");
            assertThat(l.text()).isEqualTo("police called by disp1: 有人持刀");
        });
        assertThat(store.findById(id).orElseThrow().needsPolice()).isTrue();
        assertThat(store.findById(id).orElseThrow().log()).extracting(LogEntry::type).contains(LogType.POLICE_CALLED);
        assertThat(service.callPolice(id, "disp2", null).log()).last()
                .satisfies(l -> assertThat(l.text()).isEqualTo("police called by disp2"));
    }

    @Test
    void the_police_cannot_be_called_on_a_closed_incident() {
        String id = raise();
        service.falseAlarm(id, "disp1", null);
        IncidentSnapshot before = view(id);

        assertThatThrownBy(() -> service.callPolice(id, "disp1", null)).isInstanceOf(IncidentClosedException.class);
        assertThatThrownBy(() -> service.callPolice("INC-00000000-NOPE00", "disp1", null))
                .isInstanceOf(IncidentNotFoundException.class);
        assertThat(view(id)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ false alarm and close

    @Test
    void a_false_alarm_stops_the_sirens_and_idles_the_box() {
        String id = raise();

        IncidentSnapshot v = service.falseAlarm(id, "disp1", "误按");

        assertThat(v.state()).isEqualTo("false-alarm");
        assertThat(v.nextEscalationAt()).isNull();
        assertThat(v.log()).last().satisfies(l -> {
            assertThat(l.type()).isEqualTo("false-alarm");
            assertThat(l.text()).isEqualTo("false alarm by disp1: 误按");
        });
        assertThat(commands.starting("status")).endsWith("status box-a idle " + id);
        assertThat(commands.starting("stop")).containsExactlyInAnyOrder("stop box-a", "stop box-a2", "stop box-b",
                "stop box-c");
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(IncidentState.FALSE_ALARM);
    }

    @Test
    void closing_resolves_with_a_closed_entry_stops_the_sirens_and_ends_escalation() {
        String id = raise();

        IncidentSnapshot v = service.close(id, "disp1", "处置完毕");

        assertThat(v.state()).isEqualTo("resolved");
        assertThat(v.log()).last().satisfies(l -> {
            assertThat(l.type()).isEqualTo("closed");
            assertThat(l.text()).isEqualTo("closed by disp1: 处置完毕");
        });
        assertThat(commands.starting("status")).endsWith("status box-a idle " + id);
        assertThat(commands.starting("stop")).hasSize(4);
        clock.advance(Duration.ofMinutes(5));
        service.tick();
        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
        IncidentService restarted = IncidentServiceTest.service(directory, new Fakes.Readiness(),
                new Fakes.Commands(), new Fakes.Publisher(), Fakes.store(db), clock);
        assertThat(restarted.find(id).orElseThrow().log()).last()
                .satisfies(l -> assertThat(l.type()).isEqualTo("closed"));
        restarted.close();
    }

    @Test
    void a_closed_incident_cannot_be_closed_again_either_way() {
        String id = raise();
        service.close(id, "disp1", null);
        IncidentSnapshot before = view(id);
        int stops = commands.starting("stop").size();

        assertThatThrownBy(() -> service.close(id, "disp1", null)).isInstanceOf(IncidentClosedException.class);
        assertThatThrownBy(() -> service.falseAlarm(id, "disp1", null)).isInstanceOf(IncidentClosedException.class);
        assertThatThrownBy(() -> service.close("INC-00000000-NOPE00", "disp1", null))
                .isInstanceOf(IncidentNotFoundException.class);
        assertThat(view(id)).isEqualTo(before);
        assertThat(commands.starting("stop")).hasSize(stops);
    }

    // ------------------------------------------------------------------ every member's ack

    @Test
    void every_members_ack_is_logged_once_and_the_first_one_stays_the_units_ack() {
        String id = raise();
        clock.advance(Duration.ofSeconds(10));
        service.acknowledge(id, "m-a1");
        clock.advance(Duration.ofSeconds(10));
        service.acknowledged("unit-a", id, "m-a2");
        clock.advance(Duration.ofSeconds(10));
        service.acknowledge(id, "m-a3");
        service.acknowledge(id, "m-a3"); // again: nothing added
        service.acknowledged("unit-a", id, "m-a1"); // again over MQTT: nothing added

        IncidentSnapshot v = view(id);
        assertThat(v.log()).filteredOn(l -> l.type().equals("acknowledged"))
                .extracting(IncidentSnapshot.LogLine::member, IncidentSnapshot.LogLine::unit, IncidentSnapshot.LogLine::at)
                .containsExactly(
                        Tuple.tuple("m-a1", "unit-a", "2026-11-29T02:00:10Z"),
                        Tuple.tuple("m-a2", "unit-a", "2026-11-29T02:00:20Z"),
                        Tuple.tuple("m-a3", "unit-a", "2026-11-29T02:00:30Z"));
        assertThat(v.units().get(0).acknowledgedBy()).isEqualTo("m-a1");
        assertThat(v.units().get(0).acknowledgedAt()).isEqualTo("2026-11-29T02:00:10Z");
        assertThat(store.findById(id).orElseThrow().log()).filteredOn(e -> e.type() == LogType.ACKNOWLEDGED)
                .hasSize(3);
    }

    @Test
    void an_ack_confined_to_a_unit_takes_only_members_of_that_unit() {
        String id = raise();

        assertThatThrownBy(() -> service.acknowledge(id, "m-b1", "unit-a"))
                .isInstanceOf(NotAlertedMemberException.class);
        assertThat(service.acknowledge(id, "m-b1", "unit-b").units().get(1).acknowledgedBy()).isEqualTo("m-b1");
    }
}
