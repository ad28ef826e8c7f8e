package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * What a press of a panic button is to the hub: its identity (box, counter and press time, so that a box whose
 * counter restarted is still heard), presses that join an open incident, the per-box limit and implausible press
 * times. {@link PostgresAlarmPressesTest} runs the same tests on PostgreSQL.
 */
class AlarmPressesTest {

    static final Instant T0 = IncidentServiceTest.T0;
    static final Instant PRESSED = IncidentServiceTest.PRESSED;

    final Fakes.Directory directory = IncidentServiceTest.township();
    final Fakes.Commands commands = new Fakes.Commands();
    final Fakes.Publisher publisher = new Fakes.Publisher();
    final MutableClock clock = new MutableClock(T0);
    DataSource db;
    IncidentService service;

    /** The one thing the database variants change: a fresh database with every migration applied. */
    DataSource database() {
        return Fakes.database();
    }

    @BeforeEach
    void setUp() {
        db = database();
        service = started();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    /** A hub instance on the test's database (a restarted hub is a second one). */
    IncidentService started() {
        return IncidentServiceTest.service(directory, new Fakes.Readiness(), commands, publisher, Fakes.store(db),
                clock);
    }

    String press(long sequence, Instant at) {
        return service.receive(new AlarmRecord("box-a", sequence, at));
    }

    IncidentSnapshot view(String id) {
        return service.find(id).orElseThrow();
    }

    @Test
    void a_box_whose_counter_restarted_is_heard_again_though_its_numbers_repeat() {
        String before = press(1, PRESSED);
        service.close(before, "zhang", "done");
        clock.advance(Duration.ofHours(2));
        int alerts = publisher.alerts.size();

        // a new SD card: the counter starts at 1 again; the press is a new one (a later press time)
        String after = press(1, T0.plus(Duration.ofHours(2)));

        assertThat(after).isNotEqualTo(before);
        assertThat(publisher.alerts.size()).isGreaterThan(alerts);
        assertThat(view(after).state()).isEqualTo("raised");
    }

    @Test
    void a_resend_reaching_a_restarted_hub_is_the_same_press() {
        String id = press(4, PRESSED);
        service.close();
        service = started();
        int alerts = publisher.alerts.size();

        assertThat(press(4, PRESSED)).isEqualTo(id);
        assertThat(publisher.alerts).hasSize(alerts);
        assertThat(view(id).presses()).isEqualTo(1);
    }

    @Test
    void presses_at_a_box_whose_incident_is_open_join_it_and_alert_nobody_again() {
        String id = press(7, PRESSED);
        int alerts = publisher.alerts.size();
        int sirens = commands.starting("siren").size();

        clock.advance(Duration.ofSeconds(1));
        assertThat(press(8, PRESSED.plusSeconds(1))).isEqualTo(id);
        clock.advance(Duration.ofSeconds(1));
        assertThat(press(9, PRESSED.plusSeconds(2))).isEqualTo(id);
        assertThat(press(9, PRESSED.plusSeconds(2))).isEqualTo(id); // a resend of the third press counts once

        IncidentSnapshot v = view(id);
        assertThat(v.presses()).isEqualTo(3);
        assertThat(v.pressTimes()).containsExactly(PRESSED.toString(), PRESSED.plusSeconds(1).toString(),
                PRESSED.plusSeconds(2).toString());
        assertThat(v.log()).filteredOn(l -> l.type().equals("pressed-again")).hasSize(2);
        assertThat(publisher.alerts).hasSize(alerts);
        assertThat(commands.starting("siren")).hasSize(sirens);
        // the box's lamp is set back from "sending" to what the incident is
        assertThat(commands.starting("status")).containsExactly("status box-a received " + id,
                "status box-a received " + id, "status box-a received " + id);
        // and a restarted hub knows all three
        service.close();
        service = started();
        assertThat(service.find(id).orElseThrow().presses()).isEqualTo(3);
        assertThat(press(8, PRESSED.plusSeconds(1))).isEqualTo(id);
    }

    @Test
    void thirty_alarms_of_one_send_make_one_incident_and_one_dispatch() {
        String first = press(1, PRESSED);
        int alerts = publisher.alerts.size();
        for (int n = 2; n <= 30; n++) {
            assertThat(press(n, PRESSED.plusMillis(n))).isEqualTo(first);
        }

        assertThat(view(first).presses()).isEqualTo(30);
        assertThat(publisher.alerts).hasSize(alerts);
    }

    @Test
    void a_box_that_raises_too_many_incidents_in_a_minute_attaches_further_presses_without_a_dispatch() {
        for (int n = 1; n <= 3; n++) {
            String id = press(n, T0.plusSeconds(n));
            service.close(id, "zhang", "prank");
            clock.advance(Duration.ofSeconds(5));
        }
        int alerts = publisher.alerts.size();
        String newest = service.list().get(0).id();

        String fourth = press(4, T0.plusSeconds(16));

        assertThat(fourth).isEqualTo(newest);
        assertThat(publisher.alerts).hasSize(alerts);
        assertThat(view(fourth).log()).last().satisfies(l -> {
            assertThat(l.type()).isEqualTo("pressed-again");
            assertThat(l.text()).contains("not dispatched again");
        });
        assertThat(commands.starting("status").get(commands.starting("status").size() - 1))
                .as("the box's lamp does not say 'sending' for ever").isEqualTo("status box-a idle " + fourth);

        clock.advance(Duration.ofMinutes(1));
        String later = press(5, clock.instant());
        assertThat(later).isNotEqualTo(newest);
        assertThat(publisher.alerts.size()).isGreaterThan(alerts);
    }

    @Test
    void a_press_time_in_the_future_is_recorded_with_the_hubs_time_and_a_warning() {
        String id = press(3, Instant.parse("2100-01-01T00:00:00Z"));

        IncidentSnapshot v = view(id);
        assertThat(v.raisedAt()).isEqualTo(T0.toString());
        assertThat(v.pressTimes()).containsExactly(T0.toString());
        assertThat(v.warnings()).singleElement().asString().contains("2100-01-01T00:00:00Z", "box-a");
        assertThat(v.log()).extracting(IncidentSnapshot.LogLine::type).contains("press-time-implausible");
        // a resend of it is still the same press
        assertThat(press(3, Instant.parse("2100-01-01T00:00:00Z"))).isEqualTo(id);
        assertThat(view(id).presses()).isEqualTo(1);
    }

    @Test
    void a_press_older_than_a_box_keeps_alarms_gets_the_hubs_time_and_a_recent_backlog_keeps_its_own() {
        String old = press(3, T0.minus(Duration.ofDays(30)));
        assertThat(view(old).raisedAt()).isEqualTo(T0.toString());
        assertThat(view(old).warnings()).hasSize(1);
        service.close(old, "zhang", null);

        clock.advance(Duration.ofMinutes(2));
        Instant yesterday = T0.minus(Duration.ofDays(1));
        String backlog = press(4, yesterday);
        assertThat(view(backlog).raisedAt()).isEqualTo(yesterday.toString());
        assertThat(view(backlog).warnings()).isEmpty();
    }

    @Test
    void a_press_without_a_time_is_dated_by_the_hub_and_its_number_is_free_again_after_an_hour() {
        String first = press(2, null);
        assertThat(view(first).raisedAt()).isEqualTo(T0.toString());
        assertThat(press(2, null)).isEqualTo(first); // a resend
        service.close(first, "zhang", null);

        clock.advance(IncidentService.UNSTAMPED_RESEND_WINDOW.plusMinutes(1));
        String second = press(2, null);
        assertThat(second).isNotEqualTo(first);
        assertThat(press(2, null)).as("a resend of the newer press").isEqualTo(second);
        service.close();
        service = started(); // and from the database
        assertThat(press(2, null)).isEqualTo(second);
        assertThat(view(second).presses()).isEqualTo(1);
    }

    @Test
    void a_drill_at_the_box_never_swallows_or_absorbs_a_real_press() {
        String drill = service.startDrill("unit-a", "zhang").id();

        String real = press(1, PRESSED);

        assertThat(real).isNotEqualTo(drill);
        assertThat(view(real).kind()).isEqualTo("panic");
        assertThat(view(drill).presses()).isZero();
    }
}
