package cn.callbox.hub.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.protocol.ItemKind;

/** The monitor judges again on locker, presence, duty and day changes and tells listeners once per change. */
class ReadinessMonitorTest {

    // 15:00 UTC = 23:00 in Asia/Shanghai, on DefaultReadinessServiceTest.TODAY
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T15:00:00Z"));
    final Directory directory = new Directory();
    final DefaultReadinessServiceTest.Lockers presence = new DefaultReadinessServiceTest.Lockers();
    final List<UnitReadiness[]> changes = new CopyOnWriteArrayList<>();
    final List<String> republished = new ArrayList<>();
    ReadinessMonitor monitor;

    static final class Directory extends DefaultReadinessServiceTest.Directory {
        @Override
        public java.util.Optional<CallBoxInfo> callBox(String endpoint) {
            return endpoint.startsWith("box-") ? java.util.Optional.of(new CallBoxInfo(endpoint, "点", "p", "v",
                    "村", 30.8, 108.4, "unit-a")) : java.util.Optional.empty();
        }
    }

    @BeforeEach
    void setUp() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", LocalDate.of(2026, 11, 30), "m1",
                List.of("m1", "m2", "m3"));
        presence.set("box-1", Map.of(ItemKind.WHISTLE, 3, ItemKind.BATON, 3, ItemKind.HELMET, 3,
                ItemKind.FLASHLIGHT, 1, ItemKind.LOUDSPEAKER, 1));
        presence.set("box-2", Map.of(ItemKind.STEEL_FORK, 1, ItemKind.SHIELD, 2));
        DefaultReadinessService judge = new DefaultReadinessService(directory, presence, clock);
        ReadinessListener recorder = (previous, current) -> changes.add(new UnitReadiness[] { previous, current });
        ReadinessListener failing = (previous, current) -> {
            throw new IllegalStateException("listener failure is swallowed");
        };
        monitor = new ReadinessMonitor(judge, directory, () -> List.of(failing, recorder), republished::add,
                Runnable::run, clock);
        monitor.judgeAll();
    }

    @Test
    void first_judgement_is_told_with_no_previous() {
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0)[0]).isNull();
        assertThat(changes.get(0)[1].state()).isEqualTo(State.READY);
        assertThat(monitor.lockerReady("box-1")).isTrue();
        assertThat(monitor.lockerReady("box-9")).isNull();
        assertThat(republished).containsExactlyInAnyOrder("box-1", "box-2");
    }

    @Test
    void a_locker_change_is_told_once_and_an_unchanged_judgement_not_at_all() {
        presence.set("box-1", Map.of(ItemKind.WHISTLE, 3, ItemKind.BATON, 3, ItemKind.HELMET, 2,
                ItemKind.FLASHLIGHT, 1, ItemKind.LOUDSPEAKER, 1));
        monitor.lockerChanged("box-1", false, Map.of(ItemKind.HELMET, 2));

        assertThat(changes).hasSize(2);
        UnitReadiness now = changes.get(1)[1];
        assertThat(now.state()).isEqualTo(State.KIT_MISSING);
        assertThat(now.item("helmet").present()).isEqualTo(2);
        assertThat(changes.get(1)[0].item("helmet").present()).isEqualTo(3);
        assertThat(monitor.lockerReady("box-2")).isFalse();
        assertThat(republished).hasSize(4); // lockerReady flipped: both boxes again

        monitor.lockerChanged("box-1", true, Map.of(ItemKind.HELMET, 2)); // door only: same judgement
        assertThat(changes).hasSize(2);
    }

    @Test
    void a_box_going_offline_and_back_is_told_each_time() {
        presence.offline("box-2", true);
        monitor.onlineChanged("box-2", presence.presenceOf("box-2"));
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1)[1].state()).isEqualTo(State.BOX_OFFLINE);
        // kit is still complete by the last counts: lockerReady stays true, no republish needed
        assertThat(monitor.lockerReady("box-2")).isTrue();
        assertThat(republished).hasSize(2);

        presence.offline("box-2", false);
        monitor.onlineChanged("box-2", presence.presenceOf("box-2"));
        assertThat(changes).hasSize(3);
        assertThat(changes.get(2)[1].state()).isEqualTo(State.READY);
    }

    @Test
    void a_duty_change_today_is_judged_and_a_fourth_member_raises_the_per_member_items() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", LocalDate.of(2026, 11, 30), "m1",
                List.of("m1", "m2", "m3", "m4"));
        monitor.dutyChanged("unit-a", LocalDate.of(2026, 12, 1)); // another day: nothing now
        assertThat(changes).hasSize(1);

        monitor.dutyChanged("unit-a", LocalDate.of(2026, 11, 30));
        assertThat(changes).hasSize(2);
        UnitReadiness now = changes.get(1)[1];
        assertThat(now.onDuty()).isEqualTo(4);
        assertThat(now.item("helmet").required()).isEqualTo(4);
        assertThat(now.state()).isEqualTo(State.KIT_MISSING);
    }

    @Test
    void midnight_in_shanghai_judges_every_unit_again() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", LocalDate.of(2026, 12, 1), "m1",
                List.of("m1", "m2"));
        monitor.tick(); // still 23:00 in Shanghai
        assertThat(changes).hasSize(1);

        clock.advance(Duration.ofMinutes(61)); // 00:01 on 12-01 in Shanghai, still 11-30 in UTC
        monitor.tick();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1)[1].state()).isEqualTo(State.UNDERSTAFFED);
        assertThat(directory.askedDay).isEqualTo(LocalDate.of(2026, 12, 1));

        monitor.tick(); // same day: nothing
        assertThat(changes).hasSize(2);
    }

    @Test
    void after_midnight_an_unchanged_judgement_is_told_once_so_that_daily_findings_are_made_again() {
        clock.advance(Duration.ofMinutes(61)); // same duty and kit on the new day
        monitor.tick();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1)[0]).isEqualTo(changes.get(1)[1]);
        assertThat(republished).hasSize(2); // lockerReady unchanged: not published again

        monitor.lockerChanged("box-1", false, Map.of()); // unchanged again, same day: not told
        monitor.tick();
        assertThat(changes).hasSize(2);
    }

    @Test
    void unknown_boxes_are_ignored() {
        monitor.lockerChanged("elsewhere", false, Map.of());
        monitor.onlineChanged("elsewhere", CallBoxPresence.Presence.UNKNOWN);
        assertThat(changes).hasSize(1);
    }
}
