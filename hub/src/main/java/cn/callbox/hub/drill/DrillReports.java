package cn.callbox.hub.drill;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;

/**
 * The year's drill results for the township's quarterly and annual reports: per unit (count, passed, median and best
 * time of each step, median score), per month and per quarter (count, passed), and the year's total. Times are
 * seconds from the alert; a median or best is null when no drill of the unit reached that step. Drills by township
 * date.
 */
final class DrillReports {

    private DrillReports() {
    }

    /** A drill with its score. */
    record Scored(Drill drill, DrillScoring.Result result) {
    }

    /** The body of {@code GET /api/drills/reports}. */
    record Reports(int year, Tally total, List<UnitReport> units, List<MonthReport> months,
            List<QuarterReport> quarters) {
    }

    record Tally(int count, int passed) {
    }

    /** @param median the median in seconds (the mean of the middle two, rounded, for an even count) */
    record Times(Long median, Long best) {
    }

    record UnitReport(String unit, String name, int count, int passed, Times firstAck, Times quorum, Times locker,
            Times arrival, Long medianScore) {
    }

    /** @param month yyyy-MM */
    record MonthReport(String month, int count, int passed) {
    }

    /** @param quarter yyyy-Qn */
    record QuarterReport(String quarter, int count, int passed) {
    }

    static Reports of(int year, List<UnitInfo> units, Collection<Scored> scored) {
        Map<String, List<Scored>> byUnit = new LinkedHashMap<>();
        units.forEach(u -> byUnit.put(u.id(), new ArrayList<>()));
        int[] count = new int[13];
        int[] passed = new int[13];
        int total = 0;
        int totalPassed = 0;
        for (Scored s : scored) {
            LocalDate day = s.drill().startedAt().atZone(DrillPlanner.ZONE).toLocalDate();
            if (day.getYear() != year) {
                continue;
            }
            byUnit.computeIfAbsent(s.drill().unitId(), u -> new ArrayList<>()).add(s);
            count[day.getMonthValue()]++;
            total++;
            if (s.result().passed()) {
                passed[day.getMonthValue()]++;
                totalPassed++;
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        units.forEach(u -> names.put(u.id(), u.name()));
        List<UnitReport> unitReports = new ArrayList<>();
        byUnit.forEach((unit, list) -> unitReports.add(new UnitReport(unit, names.getOrDefault(unit, unit),
                list.size(), (int) list.stream().filter(s -> s.result().passed()).count(),
                times(list, DrillScoring.Result::firstAckSeconds), times(list, DrillScoring.Result::quorumSeconds),
                times(list, DrillScoring.Result::lockerOpenedSeconds), times(list, DrillScoring.Result::arrivalSeconds),
                median(list.stream().map(s -> (long) s.result().score()).toList()))));
        List<MonthReport> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(new MonthReport(YearMonth.of(year, m).toString(), count[m], passed[m]));
        }
        List<QuarterReport> quarters = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            int c = 0;
            int p = 0;
            for (int m = q * 3 + 1; m <= q * 3 + 3; m++) {
                c += count[m];
                p += passed[m];
            }
            quarters.add(new QuarterReport(year + "-Q" + (q + 1), c, p));
        }
        return new Reports(year, new Tally(total, totalPassed), unitReports, months, quarters);
    }

    private static Times times(List<Scored> list, Function<DrillScoring.Result, Long> step) {
        List<Long> values = list.stream().map(s -> step.apply(s.result())).filter(Objects::nonNull).toList();
        return new Times(median(values), values.stream().min(Long::compare).orElse(null));
    }

    /** The median, the mean of the middle two (rounded half up) for an even count; null for none. */
    static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n % 2 == 1) {
            return sorted.get(n / 2);
        }
        return Math.round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
    }
}
