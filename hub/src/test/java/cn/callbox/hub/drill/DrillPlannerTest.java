package cn.callbox.hub.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.drill.DrillPlanner.Done;
import cn.callbox.hub.drill.DrillPlanner.Planned;

/** The planner's rules, checked on many random townships, dates and draws. */
class DrillPlannerTest {

    static final int YEAR = 2026;

    static List<String> units(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("u%02d", i)).toList();
    }

    static Instant local(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(DrillPlanner.ZONE).toInstant();
    }

    @Test
    void a_whole_year_from_january_keeps_every_rule_for_many_seeds() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(40);
            int perMonth = 3 + random.nextInt(4);
            Instant now = local(YEAR - 1, 12, 20, 10, 0);
            List<Planned> plan = new DrillPlanner(new Random(seed)).plan(YEAR, perMonth, units(n), List.of(),
                    Map.of(), now);

            checkRules("seed " + seed, plan, List.of(), units(n), perMonth, 1, now);
        }
    }

    @Test
    void a_plan_from_the_middle_of_the_year_counts_what_was_done_and_keeps_the_rules() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(30);
            int perMonth = 3 + random.nextInt(3);
            int month = 1 + random.nextInt(12);
            int day = 1 + random.nextInt(20);
            Instant now = local(YEAR, month, day, 7 + random.nextInt(10), random.nextInt(60));
            List<String> units = units(n);
            List<Done> done = new ArrayList<>();
            for (int i = 0; i < random.nextInt(3 * month); i++) {
                Instant at = local(YEAR, 1 + random.nextInt(month), 1, 9, 0);
                if (at.isBefore(now)) {
                    done.add(new Done(units.get(random.nextInt(n)), at));
                }
            }
            Map<String, Instant> last = new HashMap<>();
            done.forEach(d -> last.merge(d.unitId(), d.at(), (a, b) -> a.isAfter(b) ? a : b));

            List<Planned> plan = new DrillPlanner(new Random(seed)).plan(YEAR, perMonth, units, done, last, now);

            checkRules("seed " + seed + " from " + now, plan, done, units, perMonth, month, now);
        }
    }

    /** Every month from {@code firstMonth}, each remaining half and the year hold; times are valid. */
    static void checkRules(String label, List<Planned> plan, List<Done> done, List<String> units, int perMonth,
            int firstMonth, Instant now) {
        int wanted = Math.min(perMonth, units.size());
        Map<Integer, Set<String>> byMonth = new HashMap<>();
        Map<Integer, Set<String>> byHalf = new HashMap<>();
        for (Done d : done) {
            int m = d.at().atZone(DrillPlanner.ZONE).getMonthValue();
            byMonth.computeIfAbsent(m, x -> new HashSet<>()).add(d.unitId());
            byHalf.computeIfAbsent(m <= 6 ? 0 : 1, x -> new HashSet<>()).add(d.unitId());
        }
        for (Planned p : plan) {
            ZonedDateTime local = p.at().atZone(DrillPlanner.ZONE);
            assertThat(YearMonth.from(local)).as(label).isEqualTo(p.month());
            assertThat(p.month().getYear()).as(label).isEqualTo(YEAR);
            assertThat(p.month().getMonthValue()).as(label).isGreaterThanOrEqualTo(firstMonth);
            assertThat(p.at()).as(label).isAfter(now);
            assertThat(local.toLocalTime()).as(label).isBetween(LocalTime.of(8, 0), LocalTime.of(17, 59));
            assertThat(local.getDayOfWeek()).as(label + " " + local).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            assertThat(units).contains(p.unitId());
            assertThat(byMonth.computeIfAbsent(p.month().getMonthValue(), x -> new HashSet<>()).add(p.unitId()))
                    .as(label + ": " + p.unitId() + " twice in " + p.month()).isTrue();
            byHalf.computeIfAbsent(DrillPlanner.half(p.month()), x -> new HashSet<>()).add(p.unitId());
        }
        for (int m = firstMonth; m <= 12; m++) {
            assertThat(byMonth.getOrDefault(m, Set.of())).as(label + ": month " + m).hasSizeGreaterThanOrEqualTo(
                    wanted);
        }
        if (firstMonth <= 6) {
            assertThat(byHalf.get(0)).as(label + ": first half").containsAll(units);
        }
        assertThat(byHalf.get(1)).as(label + ": second half").containsAll(units);
    }

    @Test
    void drills_spread_fairly_over_the_units() {
        for (int seed = 0; seed < 50; seed++) {
            List<String> units = units(10);
            List<Planned> plan = new DrillPlanner(new Random(seed)).plan(YEAR, 3, units, List.of(), Map.of(),
                    local(YEAR - 1, 12, 1, 9, 0));

            Map<String, Long> perUnit = plan.stream().collect(Collectors.groupingBy(Planned::unitId,
                    Collectors.counting()));
            assertThat(plan).hasSize(36);
            assertThat(perUnit.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                    - perUnit.values().stream().mapToLong(Long::longValue).min().orElseThrow())
                    .as("seed " + seed + ": " + perUnit).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void units_drilled_least_recently_come_first() {
        List<String> units = units(6);
        Map<String, Instant> last = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            last.put(units.get(i), local(YEAR - 1, 6 + i, 1, 9, 0)); // u01 longest ago ... u06 most recent
        }
        for (int seed = 0; seed < 20; seed++) {
            List<Planned> plan = new DrillPlanner(new Random(seed)).plan(YEAR, 3, units, List.of(), last,
                    local(YEAR - 1, 12, 20, 9, 0));

            Set<String> january = plan.stream().filter(p -> p.month().getMonthValue() == 1).map(Planned::unitId)
                    .collect(Collectors.toSet());
            assertThat(january).containsExactlyInAnyOrder("u01", "u02", "u03");
        }
    }

    @Test
    void drills_of_one_month_fall_on_different_days() {
        for (int seed = 0; seed < 30; seed++) {
            List<Planned> plan = new DrillPlanner(new Random(seed)).plan(YEAR, 5, units(12), List.of(), Map.of(),
                    local(YEAR - 1, 12, 20, 9, 0));
            Map<YearMonth, List<LocalDate>> days = plan.stream().collect(Collectors.groupingBy(Planned::month,
                    Collectors.mapping(p -> p.at().atZone(DrillPlanner.ZONE).toLocalDate(), Collectors.toList())));
            days.forEach((month, list) -> assertThat(list).as(month.toString()).doesNotHaveDuplicates());
        }
    }

    @Test
    void fewer_units_than_the_minimum_drill_every_unit_every_month() {
        List<Planned> plan = new DrillPlanner(new Random(1)).plan(YEAR, 3, units(2), List.of(), Map.of(),
                local(YEAR - 1, 12, 20, 9, 0));

        assertThat(plan).hasSize(24);
    }

    @Test
    void the_current_month_is_planned_after_now_and_a_late_evening_on_the_last_day_skips_it() {
        Instant lastEvening = local(YEAR, 6, 30, 19, 0);
        List<Planned> plan = new DrillPlanner(new Random(3)).plan(YEAR, 3, units(4), List.of(), Map.of(),
                lastEvening);

        assertThat(plan).extracting(p -> p.month().getMonthValue()).doesNotContain(6).contains(7);

        Instant lastFriday = local(YEAR, 7, 31, 16, 30); // a Friday: only 16:31-17:59 left in July
        List<Planned> july = new DrillPlanner(new Random(3)).plan(YEAR, 3, units(4), List.of(), Map.of(),
                lastFriday).stream().filter(p -> p.month().getMonthValue() == 7).toList();
        assertThat(july).hasSize(3);
        assertThat(july).allSatisfy(p -> assertThat(p.at()).isAfter(lastFriday)
                .isBefore(local(YEAR, 7, 31, 18, 0)));
    }

    @Test
    void weekend_days_are_used_only_when_no_working_day_is_left() {
        Instant saturday = local(YEAR, 10, 31, 9, 0); // Saturday 31 October: no working day left
        assertThat(DrillPlanner.days(YearMonth.of(YEAR, 10), saturday)).containsExactly(LocalDate.of(YEAR, 10, 31));
        assertThat(DrillPlanner.days(YearMonth.of(YEAR, 11), saturday)).hasSize(21)
                .allSatisfy(d -> assertThat(d.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    }

    @Test
    void past_years_and_bad_minimums_are_refused() {
        DrillPlanner planner = new DrillPlanner(new Random(1));
        assertThatThrownBy(() -> planner.plan(YEAR - 1, 3, units(3), List.of(), Map.of(), local(YEAR, 1, 5, 9, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> planner.plan(YEAR, 0, units(3), List.of(), Map.of(), local(YEAR, 1, 5, 9, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
