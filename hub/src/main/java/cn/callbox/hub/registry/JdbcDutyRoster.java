package cn.callbox.hub.registry;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Storage of duty rosters (V3: weekly pattern, one-day overrides, swaps) and the resolution of a day's effective
 * duty. Checks no rules: {@link DutyRosterService} does before writing. Thread-safe; every call reads the database.
 *
 * <p>Effective duty of a unit on a day, first that applies: the day's override; the pattern's weekday, or for a unit
 * without a pattern the day's rows of V1's {@code duty} table; with the day's swaps applied in order. A stored swap
 * that no longer applies (its member is not on duty in the base, or its taker already is) is skipped, so that a read
 * never fails; writes refuse to create such a swap.
 */
final class JdbcDutyRoster {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDutyRoster.class);

    /** Where a day's effective duty comes from. */
    enum Source {
        OVERRIDE, PATTERN, PLANNED, NONE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One day's duty.
     *
     * @param leaderId the duty leader; null when none
     * @param onDuty member ids on duty, the leader included, sorted, each once
     */
    record DayPlan(String leaderId, List<String> onDuty) {
        DayPlan {
            onDuty = List.copyOf(onDuty);
        }

        static final DayPlan EMPTY = new DayPlan(null, List.of());

        /** The leader and the others, each once, the leader included; sorted. Null ids are kept for the rules. */
        static DayPlan of(String leaderId, List<String> members) {
            Set<String> all = new LinkedHashSet<>();
            if (leaderId != null) {
                all.add(leaderId);
            }
            all.addAll(members);
            List<String> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
            return new DayPlan(leaderId, sorted);
        }

        boolean isEmpty() {
            return onDuty.isEmpty();
        }
    }

    /** {@code from}'s duty on {@code day} taken by {@code to}; {@code seq} orders a day's swaps from 1. */
    record Swap(LocalDate day, int seq, String from, String to) {
    }

    /** A day's effective duty, where it comes from and the swaps that were applied. */
    record Resolved(LocalDate day, DayPlan plan, Source source, List<Swap> swaps) {
    }

    /** The end of "from today on" in queries: a date both H2 and PostgreSQL store (LocalDate.MAX is not one). */
    static final LocalDate FAR_FUTURE = LocalDate.of(9999, 12, 31);

    private final JdbcClient jdbc;

    JdbcDutyRoster(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The unit's weekly pattern; empty when it has none. */
    Map<DayOfWeek, DayPlan> pattern(String unitId) {
        Map<DayOfWeek, List<String>> members = new EnumMap<>(DayOfWeek.class);
        Map<DayOfWeek, String> leaders = new EnumMap<>(DayOfWeek.class);
        jdbc.sql("SELECT weekday, member_id, is_leader FROM duty_pattern WHERE unit_id = ?").param(unitId)
                .query(rs -> {
                    DayOfWeek day = DayOfWeek.of(rs.getInt(1));
                    members.computeIfAbsent(day, d -> new ArrayList<>()).add(rs.getString(2));
                    if (rs.getBoolean(3)) {
                        leaders.put(day, rs.getString(2));
                    }
                });
        Map<DayOfWeek, DayPlan> pattern = new EnumMap<>(DayOfWeek.class);
        members.forEach((day, ids) -> pattern.put(day, DayPlan.of(leaders.get(day), ids)));
        return pattern;
    }

    /** The unit's overrides of {@code from}..{@code to} (both included), by day. */
    TreeMap<LocalDate, DayPlan> overrides(String unitId, LocalDate from, LocalDate to) {
        return days("SELECT duty_day, member_id, is_leader FROM duty_override"
                + " WHERE unit_id = ? AND duty_day BETWEEN ? AND ?", unitId, from, to);
    }

    /** The unit's swaps of {@code from}..{@code to} (both included), by day and then in order. */
    List<Swap> swaps(String unitId, LocalDate from, LocalDate to) {
        List<Swap> swaps = new ArrayList<>(jdbc.sql("SELECT duty_day, seq, from_member, to_member FROM duty_swap"
                + " WHERE unit_id = ? AND duty_day BETWEEN ? AND ?").params(unitId, from, to)
                .query((rs, n) -> new Swap(rs.getObject(1, LocalDate.class), rs.getInt(2), rs.getString(3),
                        rs.getString(4)))
                .list());
        swaps.sort(Comparator.comparing(Swap::day).thenComparingInt(Swap::seq));
        return swaps;
    }

    /** The effective duty of each day of {@code from}..{@code to} (both included), in order. */
    List<Resolved> resolve(String unitId, LocalDate from, LocalDate to) {
        Map<DayOfWeek, DayPlan> pattern = pattern(unitId);
        TreeMap<LocalDate, DayPlan> overrides = overrides(unitId, from, to);
        TreeMap<LocalDate, DayPlan> planned = pattern.isEmpty()
                ? days("SELECT duty_day, member_id, is_leader FROM duty WHERE unit_id = ? AND duty_day BETWEEN ? AND ?",
                        unitId, from, to)
                : new TreeMap<>();
        Map<LocalDate, List<Swap>> swaps = new HashMap<>();
        swaps(unitId, from, to).forEach(s -> swaps.computeIfAbsent(s.day(), d -> new ArrayList<>()).add(s));
        List<Resolved> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            DayPlan override = overrides.get(day);
            if (override != null) {
                days.add(new Resolved(day, override, Source.OVERRIDE, List.of()));
                continue;
            }
            DayPlan base = pattern.isEmpty() ? planned.get(day) : pattern.get(day.getDayOfWeek());
            Source source = base == null ? Source.NONE : pattern.isEmpty() ? Source.PLANNED : Source.PATTERN;
            List<Swap> applied = new ArrayList<>();
            DayPlan plan = base == null ? DayPlan.EMPTY : base;
            for (Swap swap : swaps.getOrDefault(day, List.of())) {
                DayPlan swapped = applySwap(plan, swap.from(), swap.to());
                if (swapped == null) {
                    LOG.debug("Swap {} of unit {} no longer applies; skipped", swap, unitId);
                    continue;
                }
                plan = swapped;
                applied.add(swap);
            }
            days.add(new Resolved(day, plan, source, applied));
        }
        return days;
    }

    Resolved resolve(String unitId, LocalDate day) {
        return resolve(unitId, day, day).get(0);
    }

    /**
     * The day with {@code from}'s duty taken by {@code to} (the lead too, when {@code from} leads); null when
     * {@code from} is not on duty or {@code to} already is.
     */
    static DayPlan applySwap(DayPlan plan, String from, String to) {
        if (!plan.onDuty().contains(from) || plan.onDuty().contains(to)) {
            return null;
        }
        List<String> members = new ArrayList<>(plan.onDuty());
        members.set(members.indexOf(from), to);
        return DayPlan.of(from.equals(plan.leaderId()) ? to : plan.leaderId(), members);
    }

    /** Days on or after {@code from} that have an override, a swap or a V1 per-day row: where duty may differ. */
    Set<LocalDate> daysWithEntries(String unitId, LocalDate from) {
        Set<LocalDate> days = new TreeSet<>();
        for (String table : List.of("duty_override", "duty_swap", "duty")) {
            days.addAll(jdbc.sql("SELECT DISTINCT duty_day FROM " + table + " WHERE unit_id = ? AND duty_day >= ?")
                    .params(unitId, from).query((rs, n) -> rs.getObject(1, LocalDate.class)).list());
        }
        return days;
    }

    void replacePattern(String unitId, Map<DayOfWeek, DayPlan> pattern) {
        jdbc.sql("DELETE FROM duty_pattern WHERE unit_id = ?").param(unitId).update();
        pattern.forEach((day, plan) -> {
            for (String member : plan.onDuty()) {
                jdbc.sql("INSERT INTO duty_pattern (unit_id, weekday, member_id, is_leader) VALUES (?, ?, ?, ?)")
                        .params(unitId, day.getValue(), member, member.equals(plan.leaderId())).update();
            }
        });
    }

    void putOverride(String unitId, LocalDate day, DayPlan plan) {
        deleteOverride(unitId, day);
        for (String member : plan.onDuty()) {
            jdbc.sql("INSERT INTO duty_override (unit_id, duty_day, member_id, is_leader) VALUES (?, ?, ?, ?)")
                    .params(unitId, day, member, member.equals(plan.leaderId())).update();
        }
    }

    /** @return whether there was an override */
    boolean deleteOverride(String unitId, LocalDate day) {
        return jdbc.sql("DELETE FROM duty_override WHERE unit_id = ? AND duty_day = ?").params(unitId, day)
                .update() > 0;
    }

    Swap addSwap(String unitId, LocalDate day, String from, String to, Instant at) {
        Integer last = jdbc.sql("SELECT MAX(seq) FROM duty_swap WHERE unit_id = ? AND duty_day = ?")
                .params(unitId, day).query(Integer.class).optional().orElse(null);
        int seq = last == null ? 1 : last + 1;
        jdbc.sql("INSERT INTO duty_swap (unit_id, duty_day, seq, from_member, to_member, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(unitId, day, seq, from, to, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).update();
        return new Swap(day, seq, from, to);
    }

    /**
     * Locks the unit's row until the transaction ends, so that concurrent roster changes of one unit are checked and
     * written one after the other.
     *
     * @return false for an unknown unit
     */
    boolean lockUnit(String unitId) {
        return jdbc.sql("SELECT id FROM unit WHERE id = ? FOR UPDATE").param(unitId).query(String.class).optional()
                .isPresent();
    }

    Optional<TownshipDirectory.MemberInfo> member(String memberId) {
        return jdbc.sql("SELECT id, unit_id, name, role, resident FROM member WHERE id = ?").param(memberId)
                .query((rs, n) -> new TownshipDirectory.MemberInfo(rs.getString("id"), rs.getString("unit_id"),
                        rs.getString("name"), rs.getString("role"), rs.getBoolean("resident")))
                .optional();
    }

    void updateMember(String memberId, String role, boolean resident) {
        jdbc.sql("UPDATE member SET role = ?, resident = ? WHERE id = ?").params(role, resident, memberId).update();
    }

    private TreeMap<LocalDate, DayPlan> days(String sql, String unitId, LocalDate from, LocalDate to) {
        Map<LocalDate, List<String>> members = new HashMap<>();
        Map<LocalDate, String> leaders = new HashMap<>();
        jdbc.sql(sql).params(unitId, from, to).query(rs -> {
            LocalDate day = rs.getObject(1, LocalDate.class);
            members.computeIfAbsent(day, d -> new ArrayList<>()).add(rs.getString(2));
            if (rs.getBoolean(3)) {
                // V1 rows could hold two leaders only if written around the rules; the first by id wins then
                leaders.merge(day, rs.getString(2), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        });
        TreeMap<LocalDate, DayPlan> days = new TreeMap<>();
        members.forEach((day, ids) -> days.put(day, DayPlan.of(leaders.get(day), ids)));
        return days;
    }
}
