package cn.callbox.hub.announcement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Announcement schedules in the hub database (V9). Thread-safe. */
final class JdbcScheduleStore {

    private static final String COLUMNS = "id, name, message_text, clip_name, repeat_count, callboxes, villages, "
            + "units, days_of_week, days_of_month, at_time, enabled, handled_until, last_run_at, created_at";

    private final JdbcClient jdbc;

    JdbcScheduleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every schedule, ordered by time of day, then name. */
    List<Schedule> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM announcement_schedule ORDER BY at_time, name, id")
                .query((rs, n) -> row(rs)).list();
    }

    Optional<Schedule> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM announcement_schedule WHERE id = ?").param(id)
                .query((rs, n) -> row(rs)).optional();
    }

    boolean isEmpty() {
        return jdbc.sql("SELECT COUNT(*) FROM announcement_schedule").query(Long.class).single() == 0;
    }

    void insert(Schedule s) {
        jdbc.sql("INSERT INTO announcement_schedule (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(s.id(), s.name(), s.text(), s.clip(), s.repeat(), join(s.targets().callboxes()),
                        join(s.targets().villages()), join(s.targets().units()), join(s.daysOfWeek()),
                        join(s.daysOfMonth()), s.time().toString(), s.enabled(), utc(s.handledUntil()),
                        utc(s.lastRunAt()), utc(s.createdAt()))
                .update();
    }

    /** Replaces the definition and {@code handled_until}; keeps {@code last_run_at} and {@code created_at}. */
    boolean update(Schedule s) {
        return jdbc.sql("UPDATE announcement_schedule SET name = ?, message_text = ?, clip_name = ?, repeat_count = ?, "
                + "callboxes = ?, villages = ?, units = ?, days_of_week = ?, days_of_month = ?, at_time = ?, "
                + "enabled = ?, handled_until = ? WHERE id = ?")
                .params(s.name(), s.text(), s.clip(), s.repeat(), join(s.targets().callboxes()),
                        join(s.targets().villages()), join(s.targets().units()), join(s.daysOfWeek()),
                        join(s.daysOfMonth()), s.time().toString(), s.enabled(), utc(s.handledUntil()), s.id())
                .update() == 1;
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM announcement_schedule WHERE id = ?").param(id).update() == 1;
    }

    /**
     * Takes the occurrence at {@code occurrence} for this hub: true only for the first caller, so an occurrence is
     * never run twice, even by two hubs on one database.
     */
    boolean claim(String id, Instant occurrence) {
        return jdbc.sql("UPDATE announcement_schedule SET handled_until = ? WHERE id = ? AND handled_until < ?")
                .params(utc(occurrence), id, utc(occurrence)).update() == 1;
    }

    void ran(String id, Instant at) {
        jdbc.sql("UPDATE announcement_schedule SET last_run_at = ? WHERE id = ?").params(utc(at), id).update();
    }

    private static Schedule row(ResultSet rs) throws SQLException {
        return new Schedule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                new Targets(split(rs.getString(6)), split(rs.getString(7)), split(rs.getString(8))),
                numbers(rs.getString(9)), numbers(rs.getString(10)), LocalTime.parse(rs.getString(11)),
                rs.getBoolean(12), instant(rs.getObject(13, OffsetDateTime.class)),
                instant(rs.getObject(14, OffsetDateTime.class)), instant(rs.getObject(15, OffsetDateTime.class)));
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static List<Integer> numbers(String joined) {
        return split(joined).stream().map(Integer::valueOf).toList();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
