package cn.callbox.hub.drill;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Draws the surprise drills of a year (township plan §5.2, §7.3), month by month from the first month that has not
 * passed:
 * <ul>
 * <li>every month at least {@code perMonth} units (all units when there are fewer), counting the drills already done
 * in that month;</li>
 * <li>every unit at least once in each half year (Jan–Jun, Jul–Dec), and so within the year: in each month the planner
 * takes, of the units not yet drilled (nor planned) in the month's half, its share for the months left in the half
 * (rounded up), so the last month of a half takes whoever is left;</li>
 * <li>fair spread: units are picked least recently drilled (or planned) first, never-drilled units before all others,
 * ties in random order.</li>
 * </ul>
 * Each drill gets a random time in its month: a working day (Monday to Friday; public holidays are not known to the
 * hub) between {@link #EARLIEST} and {@link #LATEST} township time, and, in the current month, after now. Drills of one
 * month fall on different days while the month has days enough. When a working day no longer remains in the current
 * month a weekend day is used; when no time at all remains that month is left as it is. Not thread-safe (the random
 * source); the caller serialises plan runs.
 */
final class DrillPlanner {

    /** The township's zone: months, days and drill hours are township time. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Earliest local start of a planned drill. */
    static final LocalTime EARLIEST = LocalTime.of(8, 0);

    /** Planned drills start before this local time. */
    static final LocalTime LATEST = LocalTime.of(18, 0);

    /** The township rule: at least this many units drilled each month (all units when there are fewer). */
    static final int TOWNSHIP_MINIMUM_PER_MONTH = 3;

    private final Random random;

    /** @param random the draw; the hub passes a {@link java.security.SecureRandom}, tests a seeded one */
    DrillPlanner(Random random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A drill already done (it counts for its month and half). */
    record Done(String unitId, Instant at) {
    }

    /** A drill the planner proposes. */
    record Planned(String unitId, YearMonth month, Instant at) {
    }

    /**
     * @param year the plan's year: the current year (then from the current month on) or a later one (whole year)
     * @param perMonth the minimum number of units each month, at least 1
     * @param units every unit id
     * @param done the drills done in {@code year}
     * @param lastDrilled per unit, its latest drill (or pending planned drill) before this plan, any year; units
     *        missing here were never drilled
     * @param now the current time
     * @return the drills to plan, in month order
     * @throws IllegalArgumentException for a past year or a perMonth below 1
     */
    List<Planned> plan(int year, int perMonth, Collection<String> units, Collection<Done> done,
            Map<String, Instant> lastDrilled, Instant now) {
        if (perMonth < 1) {
            throw new IllegalArgumentException("perMonth must be at least 1");
        }
        YearMonth current = YearMonth.from(now.atZone(ZONE));
        if (year < current.getYear()) {
            throw new IllegalArgumentException("the year " + year + " has passed");
        }
        List<String> allUnits = List.copyOf(new LinkedHashSet<>(units));
        int wanted = Math.min(perMonth, allUnits.size());
        Map<String, Instant> last = new HashMap<>(lastDrilled);
        Map<YearMonth, Set<String>> inMonth = new HashMap<>();
        List<Set<String>> coveredInHalf = List.of(new HashSet<>(), new HashSet<>());
        for (Done d : done) {
            YearMonth month = YearMonth.from(d.at().atZone(ZONE));
            if (month.getYear() != year) {
                continue;
            }
            inMonth.computeIfAbsent(month, m -> new HashSet<>()).add(d.unitId());
            coveredInHalf.get(half(month)).add(d.unitId());
            last.merge(d.unitId(), d.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        int firstMonth = year == current.getYear() ? current.getMonthValue() : 1;
        List<Planned> out = new ArrayList<>();
        for (int m = firstMonth; m <= 12; m++) {
            YearMonth month = YearMonth.of(year, m);
            List<LocalDate> days = days(month, now);
            if (days.isEmpty()) {
                continue;
            }
            Set<String> here = inMonth.computeIfAbsent(month, x -> new HashSet<>());
            Set<String> covered = coveredInHalf.get(half(month));
            int monthsLeftInHalf = (half(month) == 0 ? 6 : 12) - m + 1;
            List<String> notCovered = allUnits.stream().filter(u -> !covered.contains(u) && !here.contains(u))
                    .toList();
            int must = (notCovered.size() + monthsLeftInHalf - 1) / monthsLeftInHalf;
            List<String> chosen = new ArrayList<>(leastRecentFirst(notCovered, last).subList(0, must));
            int more = wanted - here.size() - chosen.size();
            if (more > 0) {
                List<String> others = allUnits.stream().filter(u -> !here.contains(u) && !chosen.contains(u))
                        .toList();
                chosen.addAll(leastRecentFirst(others, last).subList(0, Math.min(more, others.size())));
            }
            List<LocalDate> shuffledDays = new ArrayList<>(days);
            Collections.shuffle(shuffledDays, random);
            for (int i = 0; i < chosen.size(); i++) {
                String unit = chosen.get(i);
                Instant at = timeOn(shuffledDays.get(i % shuffledDays.size()), now);
                out.add(new Planned(unit, month, at));
                here.add(unit);
                covered.add(unit);
                last.merge(unit, at, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        out.sort(Comparator.comparing(Planned::at));
        return out;
    }

    /** 0 for January–June, 1 for July–December. */
    static int half(YearMonth month) {
        return month.getMonthValue() <= 6 ? 0 : 1;
    }

    /** Never drilled first, then oldest drill first; ties in random order. */
    private List<String> leastRecentFirst(List<String> units, Map<String, Instant> last) {
        List<String> order = new ArrayList<>(units);
        Collections.shuffle(order, random);
        order.sort(Comparator.comparing(last::get, Comparator.nullsFirst(Comparator.naturalOrder())));
        return order;
    }

    /**
     * The days of the month a drill can still start on: working days with time left, or, when none is left, any day
     * with time left.
     */
    static List<LocalDate> days(YearMonth month, Instant now) {
        List<LocalDate> working = new ArrayList<>();
        List<LocalDate> any = new ArrayList<>();
        for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
            if (firstMinute(day, now) >= minuteOfDay(LATEST)) {
                continue;
            }
            any.add(day);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                working.add(day);
            }
        }
        return working.isEmpty() ? any : working;
    }

    /** A random whole minute in the drill hours of the day, after now. */
    private Instant timeOn(LocalDate day, Instant now) {
        int from = firstMinute(day, now);
        int minute = from + random.nextInt(minuteOfDay(LATEST) - from);
        return LocalDateTime.of(day, LocalTime.of(minute / 60, minute % 60)).atZone(ZONE).toInstant();
    }

    /** The first minute of the day a drill may start at: 08:00, or the next whole minute after now on today. */
    private static int firstMinute(LocalDate day, Instant now) {
        ZonedDateTime local = now.atZone(ZONE);
        LocalDate today = local.toLocalDate();
        if (day.isBefore(today)) {
            return Integer.MAX_VALUE;
        }
        if (day.isAfter(today)) {
            return minuteOfDay(EARLIEST);
        }
        return Math.max(minuteOfDay(EARLIEST), local.getHour() * 60 + local.getMinute() + 1);
    }

    private static int minuteOfDay(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }
}
