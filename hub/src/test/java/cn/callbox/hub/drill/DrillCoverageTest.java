package cn.callbox.hub.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.drill.DrillCoverage.Coverage;
import cn.callbox.hub.drill.DrillCoverage.Violation;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;

/** The three township rules as the coverage report checks them. */
class DrillCoverageTest {

    static final int YEAR = 2026;

    static List<UnitInfo> units(int n) {
        List<UnitInfo> units = new ArrayList<>();
        for (String id : DrillPlannerTest.units(n)) {
            units.add(new UnitInfo(id, "单元" + id, "v1", "村", 30.8, 108.4, List.of()));
        }
        return units;
    }

    static Drill drill(String unit, Instant at) {
        return new Drill("DRL-" + unit + at.getEpochSecond(), unit, "INC-" + at.getEpochSecond(), at, "disp", null);
    }

    static PlanEntry entry(String unit, Instant at) {
        return new PlanEntry("DP-" + unit + at.getEpochSecond(), unit, YearMonth.from(at.atZone(DrillPlanner.ZONE)),
                at, null);
    }

    @Test
    void an_empty_year_breaks_every_rule() {
        Coverage c = DrillCoverage.of(YEAR, units(2), List.of(), List.of(),
                DrillPlannerTest.local(YEAR, 1, 2, 9, 0));

        assertThat(c.violations()).filteredOn(v -> v.rule().equals("monthly")).hasSize(12)
                .allSatisfy(v -> assertThat(v.month()).startsWith("2026-"));
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("half-year")).hasSize(4);
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("yearly")).extracting(Violation::unit)
                .containsExactly("u01", "u02");
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("yearly")).first()
                .satisfies(v -> assertThat(v.text()).contains("单元u01", "全年"));
        assertThat(c.units()).allSatisfy(u -> {
            assertThat(u.firstHalf()).isFalse();
            assertThat(u.secondHalf()).isFalse();
        });
    }

    @Test
    void a_generated_plan_has_no_violations() {
        Instant now = DrillPlannerTest.local(YEAR - 1, 12, 20, 9, 0);
        List<PlanEntry> plan = new DrillPlanner(new Random(7)).plan(YEAR, 3, DrillPlannerTest.units(8), List.of(),
                Map.of(), now).stream().map(p -> entry(p.unitId(), p.at())).toList();

        Coverage c = DrillCoverage.of(YEAR, units(8), List.of(), plan, now);

        assertThat(c.violations()).isEmpty();
        assertThat(c.months()).hasSize(12).allSatisfy(m -> assertThat(m.planned()).isGreaterThanOrEqualTo(3));
        assertThat(c.units()).allSatisfy(u -> assertThat(u.firstHalf() && u.secondHalf()).isTrue());
    }

    @Test
    void done_drills_count_and_planned_drills_of_passed_months_are_missed() {
        Instant now = DrillPlannerTest.local(YEAR, 3, 15, 9, 0);
        List<Drill> done = List.of(drill("u01", DrillPlannerTest.local(YEAR, 1, 5, 9, 0)),
                drill("u02", DrillPlannerTest.local(YEAR, 1, 6, 9, 0)),
                drill("u01", DrillPlannerTest.local(YEAR, 1, 7, 9, 0)));
        List<PlanEntry> plan = List.of(entry("u03", DrillPlannerTest.local(YEAR, 2, 10, 9, 0)),
                entry("u03", DrillPlannerTest.local(YEAR, 3, 20, 9, 0)),
                entry("u02", DrillPlannerTest.local(YEAR, 8, 20, 9, 0)));

        Coverage c = DrillCoverage.of(YEAR, units(3), done, plan, now);

        assertThat(c.months().get(0)).satisfies(m -> {
            assertThat(m.month()).isEqualTo("2026-01");
            assertThat(m.done()).isEqualTo(3);
            assertThat(m.units()).isEqualTo(2);
        });
        assertThat(c.months().get(1).planned()).isZero(); // February's entry was missed
        assertThat(c.months().get(2).planned()).isEqualTo(1);
        assertThat(c.units().get(0).drills()).containsExactly("2026-01-05", "2026-01-07");
        assertThat(c.units().get(2).missed()).containsExactly("2026-02-10");
        assertThat(c.units().get(2).planned()).containsExactly("2026-03-20");
        assertThat(c.units().get(1).firstHalf()).isTrue();
        assertThat(c.units().get(1).secondHalf()).isTrue();
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("monthly")).extracting(Violation::month)
                .contains("2026-01", "2026-02", "2026-03").doesNotContainNull();
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("half-year")).extracting(Violation::unit)
                .containsExactlyInAnyOrder("u01", "u03");
        assertThat(c.violations()).filteredOn(v -> v.rule().equals("yearly")).isEmpty();
    }
}
