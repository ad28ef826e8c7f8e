package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.mqtt.UnitAlert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alarm path against fakes of the boxes, MQTT, the registry and readiness, on a real (H2) database;
 * {@link PostgresIncidentServiceTest} runs the same tests on PostgreSQL.
 */
class IncidentServiceTest {

    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final Instant PRESSED = Instant.parse("2026-11-29T01:59:58Z");
    static final Duration DELAY = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Fakes.Directory directory = township();
    final Fakes.Readiness readiness = new Fakes.Readiness();
    final Fakes.Commands commands = new Fakes.Commands();
    final Fakes.Publisher publisher = new Fakes.Publisher();
    final MutableClock clock = new MutableClock(T0);
    DataSource db;
    Fakes.SwitchableStore store;
    IncidentService service;

    /** Box box-a of unit-a at the market; units 1.1, 2.2, 3.3 and 8.9 km north of it. */
    static Fakes.Directory township() {
        return new Fakes.Directory()
                .box("box-a", "后山场镇集市", "后山村", 30.80, 108.40, "unit-a")
                .box("box-b", "石坝子", "石坝村", 30.81, 108.40, "unit-b")
                .unit("unit-a", 30.80, 108.40, List.of("box-a", "box-a2"), "m-a1", "m-a2", "m-a3")
                .unit("unit-b", 30.81, 108.40, List.of("box-b"), "m-b1")
                .unit("unit-c", 30.82, 108.40, List.of("box-c"), "m-c1")
                .unit("unit-d", 30.83, 108.40, List.of("box-d"), "m-d1")
                .unit("unit-e", 30.88, 108.40, List.of("box-e"), "m-e1");
    }

    static IncidentService service(Fakes.Directory directory, Fakes.Readiness readiness, Fakes.Commands commands,
            Fakes.Publisher publisher, IncidentStore store, MutableClock clock) {
        Function<IncidentSnapshot, String> json = JSON::writeValueAsString;
        return new IncidentService(directory, readiness, commands, publisher, store, json,
                new HubProperties.Dispatch(2, 5, DELAY, Duration.ofSeconds(180)), AlarmRules.defaults(), clock, Runnable::run);
    }

    /** The one thing the database variants change: a fresh database with every migration applied. */
    DataSource database() {
        return Fakes.database();
    }

    @BeforeEach
    void setUp() {
        db = database();
        store = new Fakes.SwitchableStore(Fakes.store(db));
        service = service(directory, readiness, commands, publisher, store, clock);
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    String raise(long sequence) {
        return service.receive(new AlarmRecord("box-a", sequence, PRESSED));
    }

    IncidentSnapshot view(String id) {
        return service.find(id).orElseThrow();
    }

    int storedIncidents() {
        return JdbcClient.create(db).sql("SELECT COUNT(*) FROM incident").query(Integer.class).single();
    }

    // ------------------------------------------------------------------ recording and dispatch

    @Test
    void an_alarm_becomes_an_incident_and_alerts_the_primary_unit_and_the_two_nearest_units() {
        String id = raise(7);

        assertThat(Topicish.isValidId(id)).isTrue();
        assertThat(id).startsWith("INC-20261129-");
        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
        UnitAlert primary = publisher.alerts.get(0).getValue();
        assertThat(primary.incidentId()).isEqualTo(id);
        assertThat(primary.kind()).isEqualTo("panic");
        assertThat(primary.role()).isEqualTo("primary");
        assertThat(primary.callbox()).isEqualTo("box-a");
        assertThat(primary.place()).isEqualTo("后山场镇集市");
        assertThat(primary.village()).isEqualTo("后山村");
        assertThat(primary.lat()).isEqualTo(30.80);
        assertThat(primary.raisedAt()).isEqualTo("2026-11-29T01:59:58Z");
        assertThat(primary.message()).contains("后山场镇集市");
        assertThat(publisher.alerts.get(1).getValue().role()).isEqualTo("support");

        assertThat(commands.starting("siren")).containsExactly("siren box-a alarm PT3M", "siren box-a2 alarm PT3M",
                "siren box-b alarm PT3M", "siren box-c alarm PT3M");
        assertThat(commands.starting("announce box-b")).containsExactly(
                "announce box-b 紧急呼叫！后山场镇集市发生紧急情况，请应急处置单元队员立即携带装备赶赴现场。");
        assertThat(commands.announcePriorities).as("no routine announcement may cut into it on the box")
                .containsOnly(SoundPriority.ALARM);
        assertThat(commands.starting("status")).containsExactly("status box-a received " + id);

        IncidentSnapshot v = view(id);
        assertThat(v.state()).isEqualTo("raised");
        assertThat(v.raisedAt()).isEqualTo("2026-11-29T01:59:58Z");
        assertThat(v.recordedAt()).isEqualTo("2026-11-29T02:00:00Z");
        assertThat(v.units()).extracting(IncidentSnapshot.AlertedUnit::unit).containsExactly("unit-a", "unit-b", "unit-c");
        assertThat(v.log()).extracting(IncidentSnapshot.LogLine::type).containsExactly("raised", "alerted", "alerted",
                "alerted");
        assertThat(store.findById(id)).get().satisfies(i -> assertThat(i.units()).hasSize(3));
        JsonNode published = JSON.readTree(publisher.incidents.get(id));
        assertThat(published.get("units")).hasSize(3);
        assertThat(published.get("state").asString()).isEqualTo("raised");
    }

    @Test
    void a_resent_alarm_returns_the_same_incident_and_alerts_nobody_again() {
        String first = raise(7);
        int alerts = publisher.alerts.size();
        int calls = commands.calls.size();

        String again = raise(7);

        assertThat(again).isEqualTo(first);
        assertThat(publisher.alerts).hasSize(alerts);
        assertThat(commands.calls).hasSize(calls);
        assertThat(storedIncidents()).isEqualTo(1);
        assertThat(view(first).presses()).isEqualTo(1);
    }

    @Test
    void concurrent_duplicates_of_one_alarm_make_one_incident_and_one_set_of_alerts() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    return raise(42);
                }));
            }
            start.countDown();
            Set<String> distinct = new java.util.HashSet<>();
            for (Future<String> f : ids) {
                distinct.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedIncidents()).isEqualTo(1);
        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
    }

    @Test
    void an_alarm_recorded_before_a_restart_or_by_another_hub_is_not_dispatched_again() {
        String id = raise(7);
        Fakes.Publisher otherPublisher = new Fakes.Publisher();
        IncidentService restarted = service(directory, readiness, new Fakes.Commands(), otherPublisher,
                Fakes.store(db), clock);

        assertThat(restarted.receive(new AlarmRecord("box-a", 7, PRESSED))).isEqualTo(id);
        assertThat(otherPublisher.alerts).isEmpty();
    }

    @Test
    void an_alarm_from_an_unknown_box_is_refused_and_records_nothing() {
        assertThatThrownBy(() -> service.receive(new AlarmRecord("box-zz", 1, PRESSED)))
                .isInstanceOf(UnknownCallBoxException.class).hasMessageContaining("box-zz");
        assertThat(storedIncidents()).isZero();
        assertThat(publisher.alerts).isEmpty();
    }

    @Test
    void dispatch_runs_on_the_executor_not_on_the_callers_thread() {
        List<Runnable> queued = new ArrayList<>();
        IncidentService queuing = new IncidentService(directory, readiness, commands, publisher, store,
                JSON::writeValueAsString, new HubProperties.Dispatch(2, 5, DELAY, Duration.ofSeconds(180)), AlarmRules.defaults(), clock,
                queued::add);

        String id = queuing.receive(new AlarmRecord("box-a", 9, PRESSED));

        assertThat(store.findById(id)).isPresent();
        assertThat(publisher.alerts).isEmpty();
        assertThat(commands.calls).isEmpty();
        queued.forEach(Runnable::run);
        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
    }

    @Test
    void a_primary_unit_that_is_not_ready_is_alerted_and_the_next_ready_unit_is_added() {
        readiness.notReady.add("unit-a");

        raise(7);

        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c", "unit-d");
    }

    @Test
    void the_database_being_down_does_not_stop_dispatch_and_the_incident_is_written_when_it_is_back() {
        store.down = true;

        assertThatThrownBy(() -> raise(7)).isInstanceOf(AlarmNotStoredException.class);

        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
        String id = service.list().get(0).id();
        assertThat(commands.starting("status")).containsExactly("status box-a received " + id);
        // the box was not told its alarm arrived: its resend is not dispatched again, and not acknowledged either
        assertThatThrownBy(() -> raise(7)).isInstanceOf(AlarmNotStoredException.class);
        assertThat(publisher.alertedUnits()).hasSize(3);
        assertThat(service.list()).extracting(IncidentSnapshot::id).containsExactly(id);
        service.acknowledged("unit-a", id, "m-a1");
        assertThat(view(id).state()).isEqualTo("acknowledged");

        store.down = false;
        service.tick();

        Incident stored = store.findById(id).orElseThrow();
        assertThat(stored.state()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(stored.units()).hasSize(3);
        assertThat(stored.log()).extracting(LogEntry::type).contains(LogType.RAISED, LogType.ACKNOWLEDGED);
        assertThat(raise(7)).isEqualTo(id); // now the box is told its alarm arrived
        assertThat(publisher.alertedUnits()).hasSize(3);
    }

    @Test
    void a_resend_while_the_database_is_back_writes_the_incident_and_is_acknowledged() {
        store.down = true;
        assertThatThrownBy(() -> raise(7)).isInstanceOf(AlarmNotStoredException.class);
        String id = service.list().get(0).id();

        store.down = false;

        assertThat(raise(7)).isEqualTo(id);
        assertThat(store.findById(id)).isPresent();
        assertThat(publisher.alertedUnits()).hasSize(3);
    }

    // ------------------------------------------------------------------ acknowledgements

    @Test
    void an_mqtt_ack_by_a_member_of_an_alerted_unit_acknowledges_and_the_first_ack_wins() {
        String id = raise(7);
        clock.advance(Duration.ofSeconds(5));

        service.acknowledged("unit-a", id, "m-a2");
        clock.advance(Duration.ofSeconds(5));
        service.acknowledged("unit-a", id, "m-a3");
        service.acknowledged("unit-a", id, "m-a3");

        IncidentSnapshot v = view(id);
        assertThat(v.state()).isEqualTo("acknowledged");
        IncidentSnapshot.AlertedUnit a = v.units().get(0);
        assertThat(a.acknowledgedAt()).isEqualTo("2026-11-29T02:00:05Z");
        assertThat(a.acknowledgedBy()).isEqualTo("m-a2");
        assertThat(v.log()).filteredOn(e -> e.type().equals("acknowledged")).extracting(IncidentSnapshot.LogLine::member)
                .containsExactly("m-a2", "m-a3");
        assertThat(commands.starting("status")).containsExactly("status box-a received " + id,
                "status box-a acknowledged " + id);
        assertThat(JSON.readTree(publisher.incidents.get(id)).get("state").asString()).isEqualTo("acknowledged");
        assertThat(store.findById(id).orElseThrow().units().get(0).acknowledgedBy()).isEqualTo("m-a2");
    }

    @Test
    void an_mqtt_ack_from_a_non_member_or_a_unit_not_alerted_changes_nothing() {
        String id = raise(7);
        int published = publisher.incidentPublications.size();

        service.acknowledged("unit-a", id, "m-b1"); // not a member of unit-a
        service.acknowledged("unit-e", id, "m-e1"); // unit-e was not alerted
        service.acknowledged("unit-a", "INC-00000000-NOPE00", "m-a1");
        service.acknowledged("unit-a", id, null);

        IncidentSnapshot v = view(id);
        assertThat(v.state()).isEqualTo("raised");
        assertThat(v.units()).allSatisfy(u -> assertThat(u.acknowledgedAt()).isNull());
        assertThat(publisher.incidentPublications).hasSize(published);
    }

    @Test
    void a_rest_ack_finds_the_members_unit_among_the_alerted_ones() {
        String id = raise(7);

        IncidentSnapshot v = service.acknowledge(id, "m-b1");

        assertThat(v.state()).isEqualTo("acknowledged");
        assertThat(v.units()).filteredOn(u -> u.unit().equals("unit-b")).singleElement()
                .satisfies(u -> assertThat(u.acknowledgedBy()).isEqualTo("m-b1"));
        assertThat(v.units()).filteredOn(u -> u.unit().equals("unit-a")).singleElement()
                .satisfies(u -> assertThat(u.acknowledgedAt()).isNull());
    }

    @Test
    void a_rest_ack_by_a_member_of_no_alerted_unit_is_refused_and_changes_nothing() {
        String id = raise(7);
        IncidentSnapshot before = view(id);

        assertThatThrownBy(() -> service.acknowledge(id, "m-e1")).isInstanceOf(NotAlertedMemberException.class);
        assertThatThrownBy(() -> service.acknowledge(id, "nobody")).isInstanceOf(NotAlertedMemberException.class);
        assertThatThrownBy(() -> service.acknowledge("INC-00000000-NOPE00", "m-a1"))
                .isInstanceOf(IncidentNotFoundException.class);

        assertThat(view(id)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ escalation

    @Test
    void without_an_ack_the_next_nearest_unit_is_alerted_after_exactly_the_delay_and_not_before() {
        String id = raise(7);
        clock.advance(DELAY.minusMillis(1));
        service.tick();
        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
        assertThat(view(id).escalated()).isFalse();

        clock.advance(Duration.ofMillis(1));
        service.tick();
        service.tick(); // once per delay period, however often the ticker runs

        assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c", "unit-d");
        assertThat(commands.starting("siren box-d")).hasSize(1);
        IncidentSnapshot v = view(id);
        assertThat(v.escalated()).isTrue();
        assertThat(v.units().get(3)).satisfies(u -> {
            assertThat(u.role()).isEqualTo("support");
            assertThat(u.byEscalation()).isTrue();
            assertThat(u.alertedAt()).isEqualTo("2026-11-29T02:01:00Z");
        });
        assertThat(v.log()).extracting(IncidentSnapshot.LogLine::type).contains("escalated");
        assertThat(JSON.readTree(publisher.incidents.get(id)).get("escalated").asBoolean()).isTrue();

        clock.advance(DELAY);
        service.tick(); // none left within 5 km: any distance
        assertThat(publisher.alertedUnits()).endsWith("unit-e");

        clock.advance(DELAY);
        service.tick();
        assertThat(view(id).log()).extracting(IncidentSnapshot.LogLine::type).endsWith("escalation-exhausted");
        clock.advance(DELAY);
        service.tick();
        assertThat(publisher.alerts).hasSize(5);
    }

    @Test
    void an_ack_by_the_primary_unit_stops_escalation() {
        String id = raise(7);
        clock.advance(Duration.ofSeconds(30));
        service.acknowledged("unit-a", id, "m-a1");

        clock.advance(DELAY.multipliedBy(3));
        service.tick();

        assertThat(publisher.alerts).hasSize(3);
        assertThat(view(id).escalated()).isFalse();
    }

    @Test
    void an_ack_by_a_support_unit_does_not_stop_escalation_of_a_silent_primary() {
        String id = raise(7);
        service.acknowledged("unit-b", id, "m-b1");

        clock.advance(DELAY);
        service.tick();

        assertThat(publisher.alertedUnits()).endsWith("unit-d");
    }

    @Test
    void a_closed_incident_is_not_escalated() {
        String id = raise(7);
        service.report(id, ReportStatus.FALSE_ALARM, "孩子误按");

        clock.advance(DELAY.multipliedBy(2));
        service.tick();

        assertThat(publisher.alerts).hasSize(3);
    }

    @Test
    void escalation_carries_on_after_a_restart() {
        String id = raise(7);
        Fakes.Publisher afterRestart = new Fakes.Publisher();
        IncidentService restarted = service(directory, readiness, new Fakes.Commands(), afterRestart,
                Fakes.store(db), clock);
        restarted.recover();

        clock.advance(DELAY);
        restarted.tick();

        assertThat(afterRestart.alertedUnits()).containsExactly("unit-d");
        assertThat(restarted.find(id).orElseThrow().escalated()).isTrue();
    }

    // ------------------------------------------------------------------ reports

    @Test
    void reports_move_the_incident_through_its_lifecycle_and_every_step_is_logged() {
        String id = raise(7);
        service.acknowledged("unit-a", id, "m-a1");

        service.report(id, ReportStatus.ON_SCENE, "已到达现场");
        assertThat(view(id).state()).isEqualTo("responding");
        assertThat(commands.starting("status")).endsWith("status box-a responding " + id);

        IncidentSnapshot flagged = service.report(id, ReportStatus.NEEDS_AMBULANCE, "一人受伤");
        assertThat(flagged.needsAmbulance()).isTrue();
        assertThat(flagged.state()).isEqualTo("responding");

        IncidentSnapshot closed = service.report(id, ReportStatus.RESOLVED, null);
        assertThat(closed.state()).isEqualTo("resolved");
        assertThat(closed.log()).extracting(IncidentSnapshot.LogLine::type).containsSubsequence("raised", "acknowledged",
                "on-scene", "needs-ambulance", "resolved");
        assertThat(closed.log()).filteredOn(e -> e.type().equals("on-scene")).singleElement()
                .satisfies(e -> assertThat(e.text()).contains("已到达现场"));
        assertThat(commands.starting("status")).endsWith("status box-a idle " + id);
        assertThat(commands.starting("stop")).containsExactlyInAnyOrder("stop box-a", "stop box-a2", "stop box-b",
                "stop box-c");
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(IncidentState.RESOLVED);
    }

    @Test
    void items_back_after_the_muster_close_the_equipment_check_once_even_after_the_incident_closed() {
        String id = raise(7);
        assertThat(service.recordEquipmentReturned("unit-a", clock.instant())).isZero(); // no muster yet
        clock.advance(Duration.ofSeconds(40));
        assertThat(service.recordMuster("unit-a", clock.instant())).isEqualTo(1);
        service.report(id, ReportStatus.RESOLVED, null);

        clock.advance(Duration.ofMinutes(30));
        assertThat(service.recordEquipmentReturned("unit-a", clock.instant())).isEqualTo(1);
        assertThat(service.recordEquipmentReturned("unit-a", clock.instant())).isZero(); // logged once
        assertThat(service.recordEquipmentReturned("unit-b", clock.instant())).isZero(); // unit-b never mustered

        assertThat(view(id).log()).extracting(IncidentSnapshot.LogLine::type).containsSubsequence("muster",
                "resolved", "equipment-returned");
        assertThat(view(id).log()).filteredOn(e -> e.type().equals("equipment-returned")).singleElement()
                .satisfies(e -> assertThat(e.unit()).isEqualTo("unit-a"));
        assertThat(store.findById(id).orElseThrow().log()).extracting(LogEntry::type)
                .contains(LogType.EQUIPMENT_RETURNED);
    }

    @Test
    void a_closed_incident_takes_no_more_reports_or_acks() {
        String id = raise(7);
        service.report(id, ReportStatus.FALSE_ALARM, null);
        IncidentSnapshot before = view(id);

        assertThatThrownBy(() -> service.report(id, ReportStatus.ON_SCENE, null))
                .isInstanceOf(IncidentClosedException.class);
        assertThatThrownBy(() -> service.acknowledge(id, "m-a1")).isInstanceOf(IncidentClosedException.class);
        service.acknowledged("unit-a", id, "m-a1");

        assertThat(view(id)).isEqualTo(before);
        assertThat(before.state()).isEqualTo("false-alarm");
    }

    @Test
    void the_list_is_newest_first_and_includes_incidents_from_the_database() {
        String first = raise(1);
        service.close(first, "zhang", null);
        clock.advance(Duration.ofMinutes(1));
        String second = raise(2);
        IncidentService restarted = service(directory, readiness, new Fakes.Commands(), new Fakes.Publisher(),
                Fakes.store(db), clock);

        assertThat(service.list()).extracting(IncidentSnapshot::id).containsExactly(second, first);
        assertThat(restarted.list()).extracting(IncidentSnapshot::id).containsExactly(second, first);
        assertThat(restarted.find(first).orElseThrow().units()).hasSize(3);
    }

    /** The incident id is used as an MQTT topic level. */
    static final class Topicish {
        static boolean isValidId(String id) {
            return cn.callbox.protocol.mqtt.Topics.isValidLevel(id);
        }
    }
}
