package cn.callbox.hub.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.protocol.mqtt.CallBoxStatus;

/** The supervision sweep and the daily self-test schedule, on a clock moved by hand. */
class SupervisorTest {

    /** 16:00 in Houshan (Asia/Shanghai). */
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<CallBoxStatus> statuses = new CopyOnWriteArrayList<>();
    private final List<String> onlineChanges = new CopyOnWriteArrayList<>();
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> statuses.add(
            status), (endpoint, door, items) -> {
            }, (endpoint, p) -> onlineChanges.add(endpoint + (p.online() ? " online" : " offline")));
    private final Fakes.SelfTestBoxes boxes = new Fakes.SelfTestBoxes();
    private final Fakes.Results results = new Fakes.Results();
    private final SelfTests selfTests = new SelfTests(new Fakes.Directory(), presence, boxes, results,
            Fakes.provider(RectificationTasks.class), clock);
    private final Supervisor supervisor = new Supervisor(presence, selfTests, SupervisionProperties.defaults(),
            clock);

    private void heard(String endpoint) {
        presence.seen(endpoint, clock.instant());
    }

    private void after(Duration elapsed) {
        clock.advance(elapsed);
        supervisor.tick();
    }

    @Test
    void box_silent_for_44_s_stays_online_and_for_46_s_goes_offline() {
        presence.registered("box-1", T0);

        after(Duration.ofSeconds(44));
        assertThat(presence.presenceOf("box-1").online()).isTrue();

        after(Duration.ofSeconds(2));
        assertThat(presence.presenceOf("box-1").online()).isFalse();
        assertThat(presence.presenceOf("box-1").lastSeen()).isEqualTo(T0);
    }

    @Test
    void going_offline_publishes_the_status_and_tells_presence_listeners() {
        presence.registered("box-1", T0);

        after(Duration.ofSeconds(46));

        assertThat(statuses).last().extracting(CallBoxStatus::online).isEqualTo(false);
        assertThat(statuses.get(statuses.size() - 1).lastSeen()).isEqualTo(T0.toString());
        assertThat(onlineChanges).containsExactly("box-1 online", "box-1 offline");
    }

    @Test
    void a_single_missed_heartbeat_is_no_alarm() {
        presence.registered("box-1", T0);
        clock.advance(Duration.ofSeconds(20));
        heard("box-1"); // heartbeat at 20 s; the one at 40 s is lost

        for (int s = 21; s <= 59; s++) {
            after(Duration.ofSeconds(1));
        }
        heard("box-1"); // heartbeat at 60 s

        after(Duration.ofSeconds(1));
        assertThat(presence.presenceOf("box-1").online()).isTrue();
        assertThat(onlineChanges).containsExactly("box-1 online");
    }

    @Test
    void a_box_heard_again_is_online_again() {
        presence.registered("box-1", T0);
        after(Duration.ofSeconds(50));
        assertThat(presence.presenceOf("box-1").online()).isFalse();

        heard("box-1");

        assertThat(presence.presenceOf("box-1").online()).isTrue();
        after(Duration.ofSeconds(1));
        assertThat(presence.presenceOf("box-1").online()).isTrue();
        assertThat(onlineChanges).containsExactly("box-1 online", "box-1 offline", "box-1 online");
    }

    @Test
    void boxes_are_judged_each_on_its_own_silence() {
        presence.registered("box-1", T0);
        clock.advance(Duration.ofSeconds(30));
        presence.registered("box-2", clock.instant());

        after(Duration.ofSeconds(16)); // box-1 silent 46 s, box-2 16 s

        assertThat(presence.presenceOf("box-1").online()).isFalse();
        assertThat(presence.presenceOf("box-2").online()).isTrue();
        assertThat(presence.presenceOf("never-seen")).isEqualTo(Presence.UNKNOWN);
    }

    @Test
    void self_test_runs_daily_at_three_in_the_morning_on_online_boxes() {
        Instant threeAm = Instant.parse("2026-11-29T19:00:00Z"); // 03:00 on 30 November in Asia/Shanghai
        assertThat(supervisor.nextSelfTest()).isEqualTo(threeAm);

        clock.set(threeAm.minusSeconds(1));
        presence.registered("box-1", clock.instant());
        supervisor.tick();
        assertThat(boxes.run).isEmpty();

        after(Duration.ofSeconds(1));
        assertThat(boxes.run).containsExactly("box-1"); // box-2 was never online
        assertThat(boxes.modes).containsExactly(SelfTestCommand.Mode.SILENT); // nothing sounds at 03:00
        assertThat(results.all).singleElement().satisfies(r -> {
            assertThat(r.endpoint()).isEqualTo("box-1");
            assertThat(r.passed()).isTrue();
            assertThat(r.at()).isEqualTo(threeAm);
        });

        after(Duration.ofSeconds(1));
        assertThat(boxes.run).hasSize(1);
        assertThat(supervisor.nextSelfTest()).isEqualTo(threeAm.plus(Duration.ofDays(1)));

        clock.set(threeAm.plus(Duration.ofDays(1)).minusSeconds(10));
        presence.seen("box-1", clock.instant());
        after(Duration.ofSeconds(10));
        assertThat(boxes.run).containsExactly("box-1", "box-1");
    }

    @Test
    void no_audible_test_is_scheduled_by_default() {
        assertThat(SupervisionProperties.defaults().audibleTest().enabled()).isFalse();
        assertThat(supervisor.nextAudibleTest()).isNull();

        presence.registered("box-1", T0);
        for (int hour = 1; hour <= 24 * 8; hour++) {
            clock.advance(Duration.ofHours(1));
            presence.seen("box-1", clock.instant());
            supervisor.tick();
        }

        assertThat(boxes.modes).hasSize(8).containsOnly(SelfTestCommand.Mode.SILENT);
    }

    @Test
    void a_configured_audible_test_runs_on_its_days_at_its_daytime_hour() {
        SupervisionProperties saturdays = SupervisionProperties.defaults().withAudibleTest(
                new SupervisionProperties.AudibleTest(java.util.Set.of(java.time.DayOfWeek.SATURDAY),
                        java.time.LocalTime.of(10, 0)));
        Supervisor weekly = new Supervisor(presence, selfTests, saturdays, clock);
        // T0 is Sunday 29 November 16:00 local: the next Saturday is 5 December, 10:00 local = 02:00 UTC
        Instant saturdayTen = Instant.parse("2026-12-05T02:00:00Z");
        assertThat(weekly.nextAudibleTest()).isEqualTo(saturdayTen);

        clock.set(saturdayTen.minusSeconds(1));
        presence.registered("box-1", clock.instant());
        weekly.tick();
        assertThat(boxes.modes).doesNotContain(SelfTestCommand.Mode.AUDIBLE);
        clock.advance(Duration.ofSeconds(1));
        weekly.tick();

        assertThat(boxes.modes).containsOnlyOnce(SelfTestCommand.Mode.AUDIBLE);
        assertThat(weekly.nextAudibleTest()).isEqualTo(saturdayTen.plus(Duration.ofDays(7)));
    }

    @Test
    void an_audible_test_at_night_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SupervisionProperties.AudibleTest(
                java.util.Set.of(java.time.DayOfWeek.MONDAY), java.time.LocalTime.of(3, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("daytime");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SupervisionProperties.AudibleTest(
                java.util.Set.of(java.time.DayOfWeek.MONDAY), java.time.LocalTime.of(21, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_audible_schedule_binds_from_properties_and_is_off_without_them() {
        var source = new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                java.util.Map.of("callbox.supervision.audible-test.days", "saturday,sunday",
                        "callbox.supervision.audible-test.at", "09:30"));
        SupervisionProperties bound = new org.springframework.boot.context.properties.bind.Binder(source)
                .bindOrCreate("callbox.supervision", SupervisionProperties.class);
        assertThat(bound.audibleTest().days()).containsExactlyInAnyOrder(java.time.DayOfWeek.SATURDAY,
                java.time.DayOfWeek.SUNDAY);
        assertThat(bound.audibleTest().at()).isEqualTo(java.time.LocalTime.of(9, 30));

        SupervisionProperties unset = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(java.util.Map.of()))
                .bindOrCreate("callbox.supervision", SupervisionProperties.class);
        assertThat(unset.audibleTest().enabled()).isFalse();
        assertThat(unset.selfTestAt()).isEqualTo(java.time.LocalTime.of(3, 0));
    }
}
