package cn.callbox.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.registry.TownshipSeed;
import cn.callbox.hub.registry.TownshipSeed.Point;

class SyntheticDistrictTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");

    @Test
    void n_boxes_make_half_as_many_units_two_boxes_each_with_a_key_per_box() {
        SyntheticDistrict district = SyntheticDistrict.of(7, TODAY, new Random(1));
        TownshipSeed seed = district.seed();

        assertThat(seed.callBoxes()).hasSize(7);
        assertThat(seed.units()).hasSize(4);
        assertThat(district.keys()).hasSize(7).allSatisfy((endpoint, key) -> assertThat(key).hasSize(16));
        assertThat(seed.callBoxes()).allSatisfy(box -> {
            assertThat(box.pskIdentity()).isEqualTo(box.endpoint());
            assertThat(box.pskKey()).isEqualTo(district.keys().get(box.endpoint()));
        });
        assertThat(seed.callBoxes().get(0).pointId()).isEqualTo("u0001-a");
        assertThat(seed.callBoxes().get(1).pointId()).isEqualTo("u0001-b");
        assertThat(seed.callBoxes().get(6).pointId()).isEqualTo("u0004-a");
    }

    @Test
    void every_unit_has_six_resident_members_and_a_duty_of_four_around_today() {
        TownshipSeed seed = SyntheticDistrict.of(4, TODAY, new Random(1)).seed();

        assertThat(seed.units()).allSatisfy(unit -> assertThat(unit.members()).hasSize(6)
                .allSatisfy(member -> assertThat(member.resident()).isTrue()));
        assertThat(seed.duties()).hasSize(2 * 3)
                .extracting(TownshipSeed.Duty::day).containsOnly(TODAY.minusDays(1), TODAY, TODAY.plusDays(1));
        assertThat(seed.duties()).allSatisfy(duty -> {
            assertThat(duty.members()).hasSize(4);
            assertThat(duty.members().stream().filter(TownshipSeed.DutyMember::leader)).hasSize(1);
        });
    }

    @Test
    void units_stand_about_a_kilometre_from_their_nearest_neighbours() {
        TownshipSeed seed = SyntheticDistrict.of(18, TODAY, new Random(1)).seed();
        List<Point> homes = seed.units().stream()
                .map(u -> seed.points().stream().filter(p -> p.id().equals(u.homePointId())).findFirst().orElseThrow())
                .toList();

        for (Point home : homes) {
            List<Double> nearest = homes.stream().filter(p -> p != home).map(p -> km(home, p))
                    .sorted(Comparator.naturalOrder()).limit(2).toList();
            assertThat(nearest).allSatisfy(d -> assertThat(d).isBetween(0.9, 1.5));
        }
    }

    @Test
    void no_boxes_is_refused() {
        assertThatThrownBy(() -> SyntheticDistrict.of(0, TODAY, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Equirectangular distance: exact enough over a few kilometres. */
    private static double km(Point a, Point b) {
        double lat = Math.toRadians((a.lat() + b.lat()) / 2);
        double dx = Math.toRadians(b.lon() - a.lon()) * Math.cos(lat);
        double dy = Math.toRadians(b.lat() - a.lat());
        return 6371 * Math.hypot(dx, dy);
    }
}
