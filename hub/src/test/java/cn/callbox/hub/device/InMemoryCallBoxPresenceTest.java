package cn.callbox.hub.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.mqtt.CallBoxStatus;

class InMemoryCallBoxPresenceTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-29T08:05:00Z");

    private final List<CallBoxStatus> statuses = new ArrayList<>();
    private final List<String> lockerEvents = new ArrayList<>();
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(
            (endpoint, status) -> statuses.add(status),
            (endpoint, door, items) -> lockerEvents.add(endpoint + " door=" + door + " items=" + items));

    @Test
    void a_box_never_seen_is_unknown() {
        assertThat(presence.presenceOf("box-1")).isEqualTo(Presence.UNKNOWN);
    }

    @Test
    void registration_then_expiry_publishes_online_then_offline_keeping_last_seen() {
        presence.registered("box-1", T0);
        presence.seen("box-1", T1);
        presence.offline("box-1");

        assertThat(statuses).containsExactly(new CallBoxStatus(true, "2026-11-29T08:00:00Z", false, null),
                new CallBoxStatus(true, "2026-11-29T08:05:00Z", false, null),
                new CallBoxStatus(false, "2026-11-29T08:05:00Z", false, null));
        assertThat(presence.presenceOf("box-1").lastSeen()).isEqualTo(T1);
    }

    @Test
    void last_seen_never_goes_back_when_notifications_overtake_each_other() {
        presence.seen("box-1", T1);
        presence.sirenSounding("box-1", true, T0);

        assertThat(presence.presenceOf("box-1").lastSeen()).isEqualTo(T1);
        assertThat(presence.presenceOf("box-1").sirenSounding()).isTrue();
    }

    @Test
    void locker_listeners_hear_only_locker_changes() {
        presence.registered("box-1", T0);
        presence.doorOpen("box-1", false, T0);
        presence.itemsPresent("box-1", ItemKind.HELMET, 3, T0);
        presence.itemsPresent("box-1", ItemKind.HELMET, 3, T0);
        presence.sirenSounding("box-1", true, T0);
        presence.itemsPresent("box-1", ItemKind.HELMET, 2, T1);

        assertThat(lockerEvents).containsExactly("box-1 door=false items={}", "box-1 door=false items={HELMET=3}",
                "box-1 door=false items={HELMET=2}");
        assertThat(presence.presenceOf("box-1").itemsPresent()).isEqualTo(Map.of(ItemKind.HELMET, 2));
    }

    @Test
    void a_failing_publisher_does_not_lose_the_change() {
        InMemoryCallBoxPresence failing = new InMemoryCallBoxPresence((endpoint, status) -> {
            throw new IllegalStateException("broker down");
        }, (endpoint, door, items) -> {
        });

        failing.registered("box-1", T0);

        assertThat(failing.presenceOf("box-1").online()).isTrue();
    }

    @Test
    void tamper_and_mains_are_published_in_the_status_and_told_to_condition_listeners_once_per_change() {
        List<String> conditions = new ArrayList<>();
        InMemoryCallBoxPresence withListener = new InMemoryCallBoxPresence((endpoint, status) -> statuses.add(status),
                (endpoint, door, items) -> {
                }, (endpoint, p) -> {
                }, (endpoint, before, after) -> conditions.add(endpoint + " tamper=" + after.tamper() + " mains="
                        + after.onMains() + " battery=" + after.batteryLevel()));
        withListener.registered("box-1", T0);
        withListener.tamper("box-1", true, T0);
        withListener.onMains("box-1", false, T0);
        withListener.onMains("box-1", false, T1); // same state, later: no condition change
        withListener.batteryLevel("box-1", 140, T1); // a gauge that overshoots is full

        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(new CallBoxStatus(true, "2026-11-29T08:05:00Z", false,
                null, true, false));
        assertThat(conditions).containsExactly("box-1 tamper=true mains=null battery=null",
                "box-1 tamper=true mains=false battery=null", "box-1 tamper=true mains=false battery=100");
        Presence now = withListener.presenceOf("box-1");
        assertThat(now.tampered()).isTrue();
        assertThat(now.batteryLow()).isFalse();
        withListener.batteryLevel("box-1", 12, T1);
        assertThat(withListener.presenceOf("box-1").batteryLow()).isTrue();
    }

    @Test
    void a_clock_measurement_is_kept_told_to_clock_listeners_and_publishes_no_status() {
        List<String> measured = new ArrayList<>();
        InMemoryCallBoxPresence withListener = new InMemoryCallBoxPresence((endpoint, status) -> statuses.add(status),
                (endpoint, door, items) -> {
                }, (endpoint, p) -> {
                }, (endpoint, before, after) -> {
                }, (endpoint, before, after) -> measured.add(endpoint + " " + (before == null ? null
                        : before.seconds()) + " -> " + after.seconds()));
        withListener.registered("box-1", T0);
        int published = statuses.size();
        ClockOffset ahead = ClockOffset.measure(T1.plusSeconds(600), T1, T1);
        ClockOffset inSync = ClockOffset.measure(T1, T1, T1);

        withListener.clockOffset("box-1", ahead);
        withListener.clockOffset("box-1", inSync);

        assertThat(measured).containsExactly("box-1 null -> 600", "box-1 600 -> 0");
        assertThat(statuses).hasSize(published);
        Presence now = withListener.presenceOf("box-1");
        assertThat(now.clockOffset()).isEqualTo(inSync);
        assertThat(now.lastSeen()).isEqualTo(T0);
        assertThat(now.clockSkewed(Duration.ofMinutes(2))).isFalse();
        withListener.clockOffset("box-1", ahead);
        assertThat(withListener.presenceOf("box-1").clockSkewed(Duration.ofMinutes(2))).isTrue();
        // what else is learnt of the box keeps the offset
        withListener.tamper("box-1", true, T1);
        assertThat(withListener.presenceOf("box-1").clockOffset()).isEqualTo(ahead);
    }
}
