package cn.callbox.hub.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.readiness.ReadinessService.ItemReadiness;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.protocol.ItemKind;

/** The readiness table: duty and kit combinations against the township standard. */
class DefaultReadinessServiceTest {

    // 2026-11-29 17:00 UTC is already 2026-11-30 in Asia/Shanghai
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T17:00:00Z"), ZoneOffset.UTC);
    static final LocalDate TODAY = LocalDate.of(2026, 11, 30);

    final Directory directory = new Directory();
    final Lockers presence = new Lockers();
    final DefaultReadinessService service = new DefaultReadinessService(directory, presence, CLOCK);

    /** Full kit for {@code onDuty} members split over two boxes. */
    void fullKit(int onDuty) {
        presence.set("box-1", Map.of(ItemKind.WHISTLE, onDuty, ItemKind.BATON, onDuty, ItemKind.HELMET, 1,
                ItemKind.FLASHLIGHT, 1, ItemKind.LOUDSPEAKER, 1));
        presence.set("box-2", Map.of(ItemKind.HELMET, onDuty - 1, ItemKind.STEEL_FORK, 1, ItemKind.SHIELD, 2));
    }

    @Test
    void leader_and_three_on_duty_with_full_kit_over_two_lockers_is_ready() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m1", List.of("m1", "m2", "m3"));
        fullKit(3);

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isTrue();
        assertThat(r.state()).isEqualTo(ReadinessService.State.READY);
        assertThat(r.problems()).isEmpty();
        assertThat(r.onDuty()).isEqualTo(3);
        assertThat(r.leaderId()).isEqualTo("m1");
        assertThat(r.items()).contains(new ItemReadiness("helmet", 3, 3), new ItemReadiness("shield", 2, 2),
                new ItemReadiness("armband", 0, 0), new ItemReadiness("stab-vest", 0, 0));
        assertThat(directory.askedDay).isEqualTo(TODAY);
    }

    @Test
    void per_member_items_follow_the_on_duty_headcount() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m1", List.of("m1", "m2", "m3", "m4"));
        fullKit(3);

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isFalse();
        assertThat(r.problems()).containsExactly("whistle 3 of 4", "baton 3 of 4", "helmet 3 of 4");
    }

    @Test
    void fewer_than_three_on_duty_is_not_ready_even_with_full_kit() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m1", List.of("m1", "m2"));
        fullKit(3);

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isFalse();
        assertThat(r.problems()).containsExactly("2 on duty, 3 needed");
    }

    @Test
    void no_leader_is_not_ready_and_the_leader_counts_as_on_duty() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, null, List.of("m1", "m2", "m3"));
        fullKit(3);
        assertThat(service.readinessOf("unit-a").problems()).containsExactly("no duty leader");

        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m9", List.of("m1", "m2"));
        UnitReadiness withLeader = service.readinessOf("unit-a");
        assertThat(withLeader.onDuty()).isEqualTo(3);
        assertThat(withLeader.ready()).isTrue();
    }

    @Test
    void a_missing_shield_is_reported_and_optional_kit_is_never_required() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m1", List.of("m1", "m2", "m3"));
        fullKit(3);
        presence.set("box-2", Map.of(ItemKind.HELMET, 2, ItemKind.STEEL_FORK, 1, ItemKind.SHIELD, 1));

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isFalse();
        assertThat(r.problems()).containsExactly("shield 1 of 2");
    }

    @Test
    void a_locker_never_read_counts_nothing_present() {
        directory.duty = new TownshipDirectory.DutyDay("unit-a", TODAY, "m1", List.of("m1", "m2", "m3"));
        fullKit(3);
        presence.forget("box-2");

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isFalse();
        assertThat(r.state()).isEqualTo(ReadinessService.State.BOX_OFFLINE);
        assertThat(r.problems()).containsExactly("box box-2 offline", "helmet 1 of 3", "steel-fork 0 of 1",
                "shield 0 of 2");
    }

    @Test
    void an_empty_duty_day_lists_every_problem() {
        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.ready()).isFalse();
        assertThat(r.onDuty()).isZero();
        assertThat(r.problems()).containsSubsequence("no duty leader", "0 on duty, 3 needed");
    }

    @Test
    void an_unknown_unit_is_refused() {
        assertThatThrownBy(() -> service.readinessOf("unit-zz")).isInstanceOf(NoSuchElementException.class);
    }

    static class Directory extends EmptyTownshipDirectory {
        DutyDay duty;
        LocalDate askedDay;

        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return unitId.equals("unit-a")
                    ? Optional.of(new UnitInfo("unit-a", "单元", "v", "村", 30.8, 108.4, List.of("box-1", "box-2")))
                    : Optional.empty();
        }

        @Override
        public List<UnitInfo> units() {
            return List.of(unit("unit-a").orElseThrow());
        }

        @Override
        public DutyDay duty(String unitId, LocalDate day) {
            askedDay = day;
            return duty != null ? duty : super.duty(unitId, day);
        }
    }

    static final class Lockers implements CallBoxPresence {
        private final Map<String, Map<ItemKind, Integer>> items = new HashMap<>();
        private final java.util.Set<String> offline = new java.util.HashSet<>();

        /** The box went offline; its last counts are kept, as the real presence does. */
        void offline(String box, boolean isOffline) {
            if (isOffline) {
                offline.add(box);
            } else {
                offline.remove(box);
            }
        }

        void set(String box, Map<ItemKind, Integer> present) {
            items.put(box, new EnumMap<>(present));
        }

        void forget(String box) {
            items.remove(box);
        }

        @Override
        public CallBoxPresence.Presence presenceOf(String endpoint) {
            Map<ItemKind, Integer> present = items.get(endpoint);
            return present == null ? CallBoxPresence.Presence.UNKNOWN
                    : new CallBoxPresence.Presence(!offline.contains(endpoint), CLOCK.instant(), false, false,
                            Map.copyOf(present));
        }
    }
}
