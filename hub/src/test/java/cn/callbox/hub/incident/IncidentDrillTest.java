package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.mqtt.UnitAlert;

/**
 * Drill incidents ({@link IncidentService#startDrill}) against the fakes, on a real (H2) database;
 * {@link PostgresIncidentDrillTest} runs the same tests on PostgreSQL.
 */
class IncidentDrillTest {

    final Fakes.Directory directory = IncidentServiceTest.township()
            .unit("unit-x", 30.90, 108.50, List.of(), "m-x1"); // a unit without a call box
    final Fakes.Readiness readiness = new Fakes.Readiness();
    final Fakes.Commands commands = new Fakes.Commands();
    final Fakes.Publisher publisher = new Fakes.Publisher();
    final MutableClock clock = new MutableClock(IncidentServiceTest.T0);
    DataSource db;
    Fakes.SwitchableStore store;
    IncidentService service;

    /** The one thing the database variants change: a fresh database with every migration applied. */
    DataSource database() {
        return Fakes.database();
    }

    @BeforeEach
    void setUp() {
        db = database();
        store = new Fakes.SwitchableStore(Fakes.store(db));
        service = IncidentServiceTest.service(directory, readiness, commands, publisher, store, clock);
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    @Test
    void a_drill_alerts_only_its_unit_with_the_drill_siren_and_announcement_and_no_call_status() {
        IncidentSnapshot drill = service.startDrill("unit-a", "zhang");

        assertThat(drill.kind()).isEqualTo("drill");
        assertThat(drill.state()).isEqualTo("raised");
        assertThat(drill.callbox()).isEqualTo("box-a");
        assertThat(drill.place()).isEqualTo("后山场镇集市");
        assertThat(drill.village()).isEqualTo("后山村");
        assertThat(drill.lat()).isEqualTo(30.80);
        assertThat(drill.sequence()).isEqualTo(1);
        assertThat(drill.nextEscalationAt()).isNull();
        assertThat(drill.units()).singleElement().satisfies(u -> {
            assertThat(u.unit()).isEqualTo("unit-a");
            assertThat(u.role()).isEqualTo("primary");
        });
        assertThat(drill.log()).extracting(IncidentSnapshot.LogLine::type).containsExactly("raised", "alerted");
        assertThat(drill.log().get(0).text()).contains("drill").contains("started by zhang");

        assertThat(commands.starting("siren")).containsExactly("siren box-a drill PT3M", "siren box-a2 drill PT3M");
        assertThat(commands.starting("announce")).hasSize(2)
                .allSatisfy(c -> assertThat(c).contains("拉动测试").contains("后山场镇集市"));
        assertThat(commands.announcePriorities).as("a drill announcement gives way to a real alarm's on the box")
                .containsOnly(SoundPriority.DRILL);
        assertThat(commands.starting("status")).isEmpty();

        assertThat(publisher.alertedUnits()).containsExactly("unit-a");
        UnitAlert alert = publisher.alerts.get(0).getValue();
        assertThat(alert.kind()).isEqualTo("drill");
        assertThat(alert.role()).isEqualTo("primary");
        assertThat(alert.incidentId()).isEqualTo(drill.id());
        assertThat(alert.message()).contains("拉动测试");
        assertThat(publisher.incidents).containsKey(drill.id());

        assertThat(service.find(drill.id())).contains(drill);
        assertThat(store.findById(drill.id()).orElseThrow().kind().wireName()).isEqualTo("drill");
    }

    @Test
    void a_drill_never_escalates_to_other_units() {
        IncidentSnapshot drill = service.startDrill("unit-a", "zhang");

        clock.advance(Duration.ofMinutes(10));
        service.tick();

        assertThat(publisher.alertedUnits()).containsExactly("unit-a");
        assertThat(service.find(drill.id()).orElseThrow().escalated()).isFalse();
    }

    @Test
    void two_drills_are_two_incidents_numbered_by_the_drill_counter_even_after_a_restart() {
        IncidentSnapshot first = service.startDrill("unit-a", "zhang");
        IncidentSnapshot second = service.startDrill("unit-a", "zhang");
        IncidentService restarted = IncidentServiceTest.service(directory, readiness, new Fakes.Commands(),
                new Fakes.Publisher(), Fakes.store(db), clock);
        IncidentSnapshot third = restarted.startDrill("unit-a", "li");

        assertThat(List.of(first.id(), second.id(), third.id())).doesNotHaveDuplicates();
        assertThat(List.of(first.sequence(), second.sequence(), third.sequence())).containsExactly(1L, 2L, 3L);
        assertThat(restarted.list()).extracting(IncidentSnapshot::id).contains(first.id(), second.id(), third.id());
        restarted.close();
    }

    @Test
    void a_drill_does_not_swallow_a_real_alarm_of_its_box_with_the_same_number() {
        IncidentSnapshot drill = service.startDrill("unit-a", "zhang");

        String real = service.receive(new AlarmRecord("box-a", drill.sequence(), IncidentServiceTest.PRESSED));

        assertThat(real).isNotEqualTo(drill.id());
        assertThat(service.find(real).orElseThrow().kind()).isEqualTo("panic");
        IncidentService restarted = IncidentServiceTest.service(directory, readiness, new Fakes.Commands(),
                new Fakes.Publisher(), Fakes.store(db), clock);
        assertThat(restarted.receive(new AlarmRecord("box-a", drill.sequence(), IncidentServiceTest.PRESSED)))
                .isEqualTo(real);
        restarted.close();
    }

    @Test
    void a_unit_without_a_call_box_drills_at_its_home_point_with_no_call_box() {
        IncidentSnapshot drill = service.startDrill("unit-x", "zhang");

        assertThat(drill.callbox()).isNull();
        assertThat(drill.lat()).isEqualTo(30.90);
        assertThat(drill.lon()).isEqualTo(108.50);
        assertThat(drill.place()).isEqualTo("unit-x单元");
        assertThat(commands.calls).isEmpty();
        assertThat(publisher.alertedUnits()).containsExactly("unit-x");
        assertThat(publisher.alerts.get(0).getValue().callbox()).isNull();

        IncidentSnapshot acked = service.acknowledge(drill.id(), "m-x1");
        IncidentSnapshot closed = service.close(drill.id(), "zhang", "ok");
        assertThat(acked.state()).isEqualTo("acknowledged");
        assertThat(closed.state()).isEqualTo("resolved");
        assertThat(commands.starting("status")).isEmpty();
        IncidentService restarted = IncidentServiceTest.service(directory, readiness, new Fakes.Commands(),
                new Fakes.Publisher(), Fakes.store(db), clock);
        assertThat(restarted.find(drill.id()).orElseThrow().callbox()).isNull();
        restarted.close();
    }

    @Test
    void acks_reports_muster_and_closing_work_on_a_drill_without_touching_the_box_call_status() {
        IncidentSnapshot drill = service.startDrill("unit-a", "zhang");
        clock.advance(Duration.ofSeconds(20));
        service.acknowledged("unit-a", drill.id(), "m-a1");
        service.acknowledge(drill.id(), "m-a2");
        clock.advance(Duration.ofSeconds(40));
        assertThat(service.recordMuster("unit-a", clock.instant())).isEqualTo(1);
        service.report(drill.id(), ReportStatus.ON_SCENE, null);
        IncidentSnapshot closed = service.report(drill.id(), ReportStatus.RESOLVED, null);

        assertThat(closed.state()).isEqualTo("resolved");
        assertThat(closed.log()).extracting(IncidentSnapshot.LogLine::type).containsExactly("raised", "alerted",
                "acknowledged", "acknowledged", "muster", "on-scene", "resolved");
        assertThat(closed.log()).filteredOn(e -> e.type().equals("muster")).singleElement()
                .satisfies(e -> assertThat(e.text()).contains("60 s"));
        assertThat(commands.starting("status")).isEmpty();
        assertThat(commands.starting("stop")).containsExactlyInAnyOrder("stop box-a", "stop box-a2");
    }

    @Test
    void a_drill_of_an_unknown_unit_is_refused_and_records_nothing() {
        assertThatThrownBy(() -> service.startDrill("unit-nope", "zhang")).isInstanceOf(UnknownUnitException.class)
                .hasMessageContaining("unit-nope");
        assertThatThrownBy(() -> service.startDrill(null, "zhang")).isInstanceOf(UnknownUnitException.class);

        assertThat(service.list()).isEmpty();
        assertThat(commands.calls).isEmpty();
        assertThat(publisher.alerts).isEmpty();
    }

    @Test
    void a_drill_runs_from_memory_while_the_database_is_down_and_is_written_when_it_is_back() {
        store.down = true;
        IncidentSnapshot drill = service.startDrill("unit-a", "zhang");
        assertThat(publisher.alertedUnits()).containsExactly("unit-a");

        store.down = false;
        service.tick();

        assertThat(store.findById(drill.id())).isPresent();
    }
}
