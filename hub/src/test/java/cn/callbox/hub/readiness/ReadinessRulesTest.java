package cn.callbox.hub.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.protocol.ItemKind;

/**
 * The readiness rules as a table: duty (leader, headcount), kit per kind over two lockers and box presence, against
 * the state (with its precedence box-offline > understaffed > kit-missing > ready) and the required per-member counts.
 */
class ReadinessRulesTest {

    final DefaultReadinessServiceTest.Directory directory = new DefaultReadinessServiceTest.Directory();
    final DefaultReadinessServiceTest.Lockers presence = new DefaultReadinessServiceTest.Lockers();
    final DefaultReadinessService service = new DefaultReadinessService(directory, presence,
            DefaultReadinessServiceTest.CLOCK);

    /**
     * @param leader duty leader or "-" for none
     * @param onDuty members listed on duty besides the leader
     * @param perMember whistles, batons and helmets in the lockers (each)
     * @param shields shields in the lockers (2 required)
     * @param box2 "online" or "offline"
     */
    @ParameterizedTest(name = "leader {0}, {1} more on duty, {2} per-member items, {3} shields, box-2 {4} -> {5}")
    @CsvSource({
            // leader, others, perMember, shields, box2, state, required per member, ready
            "m1, 2, 3, 2, online,  ready,        3, true",
            "m1, 3, 4, 2, online,  ready,        4, true",
            "m1, 3, 3, 2, online,  kit-missing,  4, false",
            "m1, 4, 5, 2, online,  ready,        5, true",
            "m1, 4, 4, 2, online,  kit-missing,  5, false",
            "m1, 2, 3, 1, online,  kit-missing,  3, false",
            "m1, 2, 2, 2, online,  kit-missing,  3, false",
            "m1, 1, 3, 2, online,  understaffed, 2, false",
            "m1, 1, 1, 0, online,  understaffed, 2, false",
            "m1, 0, 3, 2, online,  understaffed, 1, false",
            "-,  3, 3, 2, online,  understaffed, 3, false",
            "-,  0, 0, 0, online,  understaffed, 0, false",
            "m1, 2, 3, 2, offline, box-offline,  3, false",
            "m1, 1, 3, 2, offline, box-offline,  2, false",
            "m1, 2, 0, 0, offline, box-offline,  3, false",
            "-,  2, 3, 2, offline, box-offline,  2, false",
            "m1, 5, 6, 2, online,  ready,        6, true",
            "m1, 5, 6, 3, online,  ready,        6, true",
    })
    void state_follows_duty_kit_and_boxes(String leader, int others, int perMember, int shields, String box2,
            String state, int requiredPerMember, boolean ready) {
        List<String> onDuty = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            onDuty.add("x" + i);
        }
        directory.duty = new TownshipDirectory.DutyDay("unit-a", DefaultReadinessServiceTest.TODAY,
                leader.equals("-") ? null : leader, onDuty);
        // per-member kit split over both lockers; unit kit complete but for the shields
        Map<ItemKind, Integer> one = new EnumMap<>(ItemKind.class);
        one.put(ItemKind.WHISTLE, perMember);
        one.put(ItemKind.BATON, perMember);
        one.put(ItemKind.HELMET, perMember / 2);
        one.put(ItemKind.FLASHLIGHT, 1);
        one.put(ItemKind.LOUDSPEAKER, 1);
        Map<ItemKind, Integer> two = new EnumMap<>(ItemKind.class);
        two.put(ItemKind.HELMET, perMember - perMember / 2);
        two.put(ItemKind.STEEL_FORK, 1);
        two.put(ItemKind.SHIELD, shields);
        presence.set("box-1", one);
        presence.set("box-2", two);
        presence.offline("box-2", box2.equals("offline"));

        UnitReadiness r = service.readinessOf("unit-a");

        assertThat(r.state().wireName()).isEqualTo(state);
        assertThat(r.ready()).isEqualTo(ready);
        assertThat(r.state() == State.READY).isEqualTo(r.ready());
        assertThat(r.onDuty()).isEqualTo(others + (leader.equals("-") ? 0 : 1));
        for (String kind : List.of("whistle", "baton", "helmet")) {
            assertThat(r.item(kind).required()).as(kind).isEqualTo(requiredPerMember);
            assertThat(r.item(kind).present()).as(kind).isEqualTo(perMember);
        }
        assertThat(r.item("shield").required()).isEqualTo(2);
        assertThat(r.item("flashlight").required()).isEqualTo(1);
        assertThat(r.item("stab-vest").required()).isZero();
        assertThat(r.item("armband").required()).isZero();
        assertThat(r.problems().isEmpty()).isEqualTo(ready);
    }
}
