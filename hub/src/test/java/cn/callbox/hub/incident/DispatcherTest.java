package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.AlertRole;

/** The dispatch table: who is alerted for an alarm and who next on escalation. */
class DispatcherTest {

    // 0.01° of latitude is 1.112 km
    private static final CallBoxInfo BOX = new CallBoxInfo("box-a", "后山场镇集市", "pt-a", "v-a", "后山村", 30.80,
            108.40, "unit-a");
    private static final UnitInfo A = unit("unit-a", 30.80);
    private static final UnitInfo B = unit("unit-b", 30.81); // 1.1 km
    private static final UnitInfo C = unit("unit-c", 30.82); // 2.2 km
    private static final UnitInfo D = unit("unit-d", 30.83); // 3.3 km
    private static final UnitInfo E = unit("unit-e", 30.88); // 8.9 km
    private static final List<UnitInfo> ALL = List.of(E, D, C, B, A); // order of the list must not matter
    private static final Predicate<String> ALL_READY = u -> true;

    private static UnitInfo unit(String id, double lat) {
        return new UnitInfo(id, id, "v", "村", lat, 108.40, List.of("box-" + id.substring(5)));
    }

    @Test
    void primary_is_the_unit_of_the_point_then_the_two_nearest_other_units() {
        List<DispatchStep> plan = new Dispatcher(2, 5).plan(BOX, ALL, ALL_READY);

        assertThat(plan).extracting(DispatchStep::unit).containsExactly("unit-a", "unit-b", "unit-c");
        assertThat(plan).extracting(DispatchStep::role).containsExactly(AlertRole.PRIMARY, AlertRole.SUPPORT,
                AlertRole.SUPPORT);
        assertThat(plan.get(1).distanceKm()).isCloseTo(1.112, within(0.01));
        assertThat(plan.get(2).distanceKm()).isCloseTo(2.224, within(0.01));
    }

    @Test
    void primary_is_the_unit_of_the_point_even_when_another_unit_is_nearer() {
        CallBoxInfo boxAtB = new CallBoxInfo("box-x", "x", "p", "v", "村", 30.81, 108.40, "unit-a");

        List<DispatchStep> plan = new Dispatcher(1, 5).plan(boxAtB, ALL, ALL_READY);

        assertThat(plan).extracting(DispatchStep::unit).containsExactly("unit-a", "unit-b");
        assertThat(plan.get(0).role()).isEqualTo(AlertRole.PRIMARY);
    }

    @Test
    void support_units_beyond_the_radius_are_not_alerted() {
        assertThat(new Dispatcher(5, 5).plan(BOX, ALL, ALL_READY)).extracting(DispatchStep::unit)
                .containsExactly("unit-a", "unit-b", "unit-c", "unit-d");
        assertThat(new Dispatcher(5, 2.0).plan(BOX, ALL, ALL_READY)).extracting(DispatchStep::unit)
                .containsExactly("unit-a", "unit-b");
    }

    @Test
    void zero_support_units_alerts_the_primary_unit_alone() {
        assertThat(new Dispatcher(0, 5).plan(BOX, ALL, ALL_READY)).extracting(DispatchStep::unit)
                .containsExactly("unit-a");
    }

    @Test
    void a_primary_unit_that_is_not_ready_is_still_alerted_and_the_next_nearest_ready_unit_is_added() {
        List<DispatchStep> plan = new Dispatcher(2, 5).plan(BOX, ALL, u -> !u.equals("unit-a"));

        assertThat(plan).extracting(DispatchStep::unit).containsExactly("unit-a", "unit-b", "unit-c", "unit-d");
        assertThat(plan.get(3).role()).isEqualTo(AlertRole.SUPPORT);
        assertThat(plan.get(3).reason()).contains("not ready");
    }

    @Test
    void the_extra_unit_for_a_primary_that_is_not_ready_must_itself_be_ready_and_within_the_radius() {
        assertThat(new Dispatcher(1, 5).plan(BOX, ALL, u -> !Set.of("unit-a", "unit-c").contains(u)))
                .extracting(DispatchStep::unit).containsExactly("unit-a", "unit-b", "unit-d");
        assertThat(new Dispatcher(2, 5).plan(BOX, ALL, u -> !Set.of("unit-a", "unit-d").contains(u)))
                .extracting(DispatchStep::unit).containsExactly("unit-a", "unit-b", "unit-c");
    }

    @Test
    void ties_in_distance_are_broken_by_unit_id() {
        UnitInfo west = new UnitInfo("unit-w", "w", "v", "村", 30.80, 108.39, List.of());
        UnitInfo east = new UnitInfo("unit-f", "f", "v", "村", 30.80, 108.41, List.of());

        List<DispatchStep> plan = new Dispatcher(1, 5).plan(BOX, List.of(west, east, A), ALL_READY);

        assertThat(plan).extracting(DispatchStep::unit).containsExactly("unit-a", "unit-f");
    }

    @Test
    void escalation_takes_the_nearest_unit_not_alerted_yet_preferring_ready_ones_then_any_distance() {
        Dispatcher dispatcher = new Dispatcher(2, 5);
        Set<String> alerted = Set.of("unit-a", "unit-b", "unit-c");

        assertThat(dispatcher.escalation(BOX, ALL, alerted, ALL_READY)).get().extracting(DispatchStep::unit)
                .isEqualTo("unit-d");
        assertThat(dispatcher.escalation(BOX, ALL, Set.of("unit-a", "unit-b"), u -> !u.equals("unit-c"))).get()
                .extracting(DispatchStep::unit).isEqualTo("unit-d");
        DispatchStep far = dispatcher.escalation(BOX, ALL, Set.of("unit-a", "unit-b", "unit-c", "unit-d"), ALL_READY)
                .orElseThrow();
        assertThat(far.unit()).isEqualTo("unit-e");
        assertThat(far.role()).isEqualTo(AlertRole.SUPPORT);
        assertThat(dispatcher.escalation(BOX, ALL, Set.of("unit-a", "unit-b", "unit-c", "unit-d", "unit-e"),
                ALL_READY)).isEmpty();
    }

    @Test
    void great_circle_distance_matches_a_known_value() {
        // Wanzhou to Chongqing city centre: about 228 km
        assertThat(GreatCircle.distanceKm(30.8078, 108.4089, 29.5630, 106.5516)).isCloseTo(226, within(3.0));
    }
}
