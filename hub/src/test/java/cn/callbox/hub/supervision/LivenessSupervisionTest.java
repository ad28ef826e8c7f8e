package cn.callbox.hub.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.device.Liveness;
import cn.callbox.hub.device.PresenceListener;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.testing.MutableClock;

/**
 * Supervision by what each box promised at registration: our boxes by their heartbeat, a standard LwM2M client by its
 * lifetime; and the grace before a silence is told to the box's unit. On a clock moved by hand.
 */
class LivenessSupervisionTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Liveness OUR_BOX = new Liveness(Duration.ofSeconds(300), Duration.ofSeconds(20));
    private static final Liveness STANDARD_CLIENT = new Liveness(Duration.ofSeconds(300), null);

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
    }, (endpoint, door, items) -> {
    }, new PresenceListener() {
        @Override
        public void onlineChanged(String endpoint, Presence p) {
            told.add(endpoint + (p.online() ? " online" : " offline"));
        }

        @Override
        public void offlineLasting(String endpoint, Presence p) {
            told.add(endpoint + " offline for long");
        }
    });
    private final SelfTests selfTests = new SelfTests(new Fakes.Directory(), presence, new Fakes.SelfTestBoxes(),
            new Fakes.Results(), Fakes.provider(RectificationTasks.class), clock);
    private final Supervisor supervisor = new Supervisor(presence, selfTests, SupervisionProperties.defaults(),
            clock);

    /** Moves the clock second by second, sweeping each second as the ticker does. */
    private void sweepFor(Duration elapsed) {
        for (long s = 0; s < elapsed.toSeconds(); s++) {
            clock.advance(Duration.ofSeconds(1));
            supervisor.tick();
        }
    }

    @Test
    void a_standard_client_updating_every_207_s_stays_online() {
        presence.registered("std-1", T0, STANDARD_CLIENT);

        for (int update = 1; update <= 5; update++) {
            sweepFor(Duration.ofSeconds(207));
            presence.seen("std-1", clock.instant());
        }

        assertThat(presence.presenceOf("std-1").online()).isTrue();
        assertThat(told).containsExactly("std-1 online");
    }

    @Test
    void a_standard_client_is_offline_once_its_lifetime_has_run_out() {
        presence.registered("std-1", T0, STANDARD_CLIENT);

        sweepFor(Duration.ofSeconds(315));
        assertThat(presence.presenceOf("std-1").online()).isTrue();
        sweepFor(Duration.ofSeconds(1));
        assertThat(presence.presenceOf("std-1").online()).isFalse();
    }

    @Test
    void our_box_announcing_its_heartbeat_is_offline_within_a_minute() {
        presence.registered("cb-1", T0, OUR_BOX);

        sweepFor(Duration.ofSeconds(45));
        assertThat(presence.presenceOf("cb-1").online()).isTrue();
        sweepFor(Duration.ofSeconds(1));
        assertThat(presence.presenceOf("cb-1").online()).isFalse();
    }

    @Test
    void a_longer_announced_heartbeat_allows_two_missed_beats() {
        presence.registered("cb-2", T0, new Liveness(Duration.ofSeconds(300), Duration.ofSeconds(40)));

        sweepFor(Duration.ofSeconds(85));
        assertThat(presence.presenceOf("cb-2").online()).isTrue();
        sweepFor(Duration.ofSeconds(1));
        assertThat(presence.presenceOf("cb-2").online()).isFalse();
    }

    @Test
    void a_silence_is_told_to_the_unit_only_after_the_grace_and_once() {
        presence.registered("cb-1", T0, OUR_BOX);

        sweepFor(Duration.ofSeconds(46));
        assertThat(told).containsExactly("cb-1 online", "cb-1 offline");
        sweepFor(Duration.ofSeconds(253)); // 299 s since last heard
        assertThat(told).containsExactly("cb-1 online", "cb-1 offline");
        sweepFor(Duration.ofSeconds(2));
        sweepFor(Duration.ofMinutes(10));
        assertThat(told).containsExactly("cb-1 online", "cb-1 offline", "cb-1 offline for long");
    }

    @Test
    void a_4g_dropout_shorter_than_the_grace_shows_offline_and_is_never_told_as_lasting() {
        presence.registered("cb-1", T0, OUR_BOX);

        sweepFor(Duration.ofSeconds(120));
        assertThat(presence.presenceOf("cb-1").online()).as("shown offline at once").isFalse();
        presence.registered("cb-1", clock.instant(), OUR_BOX); // back after 2 min
        for (int beat = 0; beat < 30; beat++) {
            sweepFor(Duration.ofSeconds(20));
            presence.seen("cb-1", clock.instant());
        }

        assertThat(told).doesNotContain("cb-1 offline for long");
    }
}
