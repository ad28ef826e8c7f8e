package cn.callbox.hub.announcement;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A broadcast that repeats: on every day whose ISO day of the week (Monday = 1) is in {@code daysOfWeek} or whose day
 * of the month is in {@code daysOfMonth} (a market held on the 3rd, 13th, 23rd...), at {@code time} township time
 * (Asia/Shanghai). A day of the month a month lacks (the 31st in April) is simply not a day of that month.
 *
 * @param daysOfWeek sorted, 1-7; empty matches no day
 * @param daysOfMonth sorted, 1-31; empty matches no day
 * @param handledUntil every occurrence up to this instant has been run or skipped
 * @param lastRunAt when the schedule last broadcast; null if never
 */
record Schedule(String id, String name, String text, String clip, int repeat, Targets targets,
        List<Integer> daysOfWeek, List<Integer> daysOfMonth, LocalTime time, boolean enabled, Instant handledUntil,
        Instant lastRunAt, Instant createdAt) {

    /** The township's zone: schedule times are local times there. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Occurrences are looked for this many days around a date: longer than any gap between two matching days. */
    private static final int SEARCH_DAYS = 400;

    Schedule {
        daysOfWeek = daysOfWeek.stream().sorted().distinct().toList();
        daysOfMonth = daysOfMonth.stream().sorted().distinct().toList();
    }

    boolean runsOn(LocalDate day) {
        return daysOfWeek.contains(day.getDayOfWeek().getValue()) || daysOfMonth.contains(day.getDayOfMonth());
    }

    /** The instant of the occurrence on {@code day} (whether or not the schedule runs that day). */
    Instant at(LocalDate day) {
        return day.atTime(time).atZone(ZONE).toInstant();
    }

    /** The last occurrence at or before {@code now}, if any in the past 400 days. */
    Optional<Instant> latestAtOrBefore(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZONE);
        for (int i = 0; i <= SEARCH_DAYS; i++) {
            LocalDate d = day.minusDays(i);
            if (runsOn(d) && !at(d).isAfter(now)) {
                return Optional.of(at(d));
            }
        }
        return Optional.empty();
    }

    /** The first occurrence strictly after {@code after}, if any in the next 400 days. */
    Optional<Instant> firstAfter(Instant after) {
        LocalDate day = LocalDate.ofInstant(after, ZONE);
        for (int i = 0; i <= SEARCH_DAYS; i++) {
            LocalDate d = day.plusDays(i);
            if (runsOn(d) && at(d).isAfter(after)) {
                return Optional.of(at(d));
            }
        }
        return Optional.empty();
    }

    /** Same definition, other bookkeeping. */
    Schedule withBookkeeping(Instant handledUntil, Instant lastRunAt) {
        return new Schedule(id, name, text, clip, repeat, targets, daysOfWeek, daysOfMonth, time, enabled,
                handledUntil, lastRunAt, createdAt);
    }
}
