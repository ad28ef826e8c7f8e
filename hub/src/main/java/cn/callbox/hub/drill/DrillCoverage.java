package cn.callbox.hub.drill;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;

/**
 * A year's drill coverage against the township's three rules, checked on the drills done and the planned drills still
 * to come (entries not run whose month has not passed; those of passed months are {@code missed} and count for
 * nothing):
 * <ul>
 * <li>{@code monthly}: each month at least {@value DrillPlanner#TOWNSHIP_MINIMUM_PER_MONTH} different units (all units
 * when there are fewer);</li>
 * <li>{@code half-year}: every unit at least once in January–June and once in July–December;</li>
 * <li>{@code yearly}: every unit at least once in the year.</li>
 * </ul>
 * Violation texts are zh-CN (the console shows them as they are).
 */
final class DrillCoverage {

    private DrillCoverage() {
    }

    /** The body of {@code GET /api/drills/coverage}. */
    record Coverage(int year, List<UnitCoverage> units, List<MonthCoverage> months, List<Violation> violations) {
    }

    /**
     * @param drills township dates (yyyy-MM-dd) of the drills done
     * @param planned township dates of the planned drills still to come
     * @param missed township dates of planned drills that did not run in their month
     */
    record UnitCoverage(String unit, String name, List<String> drills, List<String> planned, List<String> missed,
            boolean firstHalf, boolean secondHalf) {
    }

    /**
     * @param month yyyy-MM
     * @param units different units drilled or still planned in the month
     */
    record MonthCoverage(String month, int done, int planned, int units) {
    }

    /**
     * @param rule {@code monthly}, {@code half-year} or {@code yearly}
     * @param unit the unit, for the unit rules (absent otherwise)
     * @param month yyyy-MM, for the monthly rule (absent otherwise)
     * @param half 1 or 2, for the half-year rule (absent otherwise)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Violation(String rule, String text, String unit, String month, Integer half) {
    }

    /**
     * @param units the registry's units
     * @param drills the drills started in the year
     * @param plan the year's plan entries
     */
    static Coverage of(int year, List<UnitInfo> units, Collection<Drill> drills, Collection<PlanEntry> plan,
            Instant now) {
        YearMonth current = YearMonth.from(now.atZone(DrillPlanner.ZONE));
        Map<String, List<LocalDate>> doneByUnit = new TreeMap<>();
        Map<String, List<LocalDate>> plannedByUnit = new TreeMap<>();
        Map<String, List<LocalDate>> missedByUnit = new TreeMap<>();
        int[] doneInMonth = new int[13];
        int[] plannedInMonth = new int[13];
        List<Set<String>> unitsInMonth = new ArrayList<>();
        for (int m = 0; m <= 12; m++) {
            unitsInMonth.add(new HashSet<>());
        }
        for (Drill d : drills) {
            LocalDate day = d.startedAt().atZone(DrillPlanner.ZONE).toLocalDate();
            if (day.getYear() != year) {
                continue;
            }
            doneByUnit.computeIfAbsent(d.unitId(), u -> new ArrayList<>()).add(day);
            doneInMonth[day.getMonthValue()]++;
            unitsInMonth.get(day.getMonthValue()).add(d.unitId());
        }
        for (PlanEntry e : plan) {
            if (e.ran() || e.month().getYear() != year) {
                continue;
            }
            LocalDate day = e.plannedAt().atZone(DrillPlanner.ZONE).toLocalDate();
            if (e.month().isBefore(current)) {
                missedByUnit.computeIfAbsent(e.unitId(), u -> new ArrayList<>()).add(day);
                continue;
            }
            plannedByUnit.computeIfAbsent(e.unitId(), u -> new ArrayList<>()).add(day);
            plannedInMonth[e.month().getMonthValue()]++;
            unitsInMonth.get(e.month().getMonthValue()).add(e.unitId());
        }

        List<Violation> violations = new ArrayList<>();
        int minimum = Math.min(DrillPlanner.TOWNSHIP_MINIMUM_PER_MONTH, units.size());
        List<MonthCoverage> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            String month = YearMonth.of(year, m).toString();
            int count = unitsInMonth.get(m).size();
            months.add(new MonthCoverage(month, doneInMonth[m], plannedInMonth[m], count));
            if (count < minimum) {
                violations.add(new Violation("monthly", year + "年" + m + "月只有 " + count + " 个单元拉动测试（已做或已安排），"
                        + "少于每月至少 " + minimum + " 个", null, month, null));
            }
        }

        List<UnitCoverage> unitRows = new ArrayList<>();
        for (UnitInfo unit : units) {
            List<LocalDate> done = sorted(doneByUnit.get(unit.id()));
            List<LocalDate> planned = sorted(plannedByUnit.get(unit.id()));
            boolean first = any(done, planned, 1, 6);
            boolean second = any(done, planned, 7, 12);
            unitRows.add(new UnitCoverage(unit.id(), unit.name(), strings(done), strings(planned),
                    strings(sorted(missedByUnit.get(unit.id()))), first, second));
            String name = unit.name() == null || unit.name().isBlank() ? unit.id() : unit.name();
            if (!first) {
                violations.add(new Violation("half-year", "单元「" + name + "」" + year + "年上半年没有拉动测试（已做或已安排）",
                        unit.id(), null, 1));
            }
            if (!second) {
                violations.add(new Violation("half-year", "单元「" + name + "」" + year + "年下半年没有拉动测试（已做或已安排）",
                        unit.id(), null, 2));
            }
            if (!first && !second) {
                violations.add(new Violation("yearly", "单元「" + name + "」" + year + "年全年没有拉动测试（已做或已安排）",
                        unit.id(), null, null));
            }
        }
        return new Coverage(year, unitRows, months, violations);
    }

    private static boolean any(List<LocalDate> done, List<LocalDate> planned, int fromMonth, int toMonth) {
        return done.stream().anyMatch(d -> d.getMonthValue() >= fromMonth && d.getMonthValue() <= toMonth)
                || planned.stream().anyMatch(d -> d.getMonthValue() >= fromMonth && d.getMonthValue() <= toMonth);
    }

    private static List<LocalDate> sorted(List<LocalDate> days) {
        if (days == null) {
            return List.of();
        }
        List<LocalDate> copy = new ArrayList<>(days);
        copy.sort(null);
        return copy;
    }

    private static List<String> strings(List<LocalDate> days) {
        return days.stream().map(LocalDate::toString).toList();
    }
}
