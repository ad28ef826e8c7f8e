package cn.callbox.hub.training;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Trainings and commendations in the tables of V11. Lists are sorted in Java (same order on H2 and PostgreSQL).
 * Writes join the caller's transaction. Thread-safe.
 */
class JdbcTrainingRecords {

    private final JdbcClient jdbc;

    JdbcTrainingRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param day the township's local date it was held on; @param attendees member ids */
    record Training(long id, String unitId, LocalDate day, TrainingKind kind, String topic, List<String> attendees,
            String recordedBy, Instant recordedAt) {
    }

    record Commendation(long id, String memberId, String memberName, String unitId, LocalDate day, String reason,
            String incidentId, String recordedBy, Instant recordedAt) {
    }

    /** A member as commendations need it. */
    record MemberRef(String id, String unitId, String name) {
    }

    long addTraining(String unitId, LocalDate day, TrainingKind kind, String topic, List<String> attendees,
            String recordedBy, Instant at) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO training (unit_id, held_on, kind, topic, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(unitId, day, kind.wireName(), topic, recordedBy, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        for (String member : attendees) {
            jdbc.sql("INSERT INTO training_attendee (training_id, member_id) VALUES (?, ?)").params(id, member).update();
        }
        return id;
    }

    Optional<Training> training(long id) {
        return queryTrainings("WHERE t.id = ?", id).stream().findFirst();
    }

    /** The unit's trainings held from {@code from} to {@code to} (both included), newest first. */
    List<Training> trainings(String unitId, LocalDate from, LocalDate to) {
        return queryTrainings("WHERE t.unit_id = ? AND t.held_on BETWEEN ? AND ?", unitId, from, to);
    }

    /** Every unit's trainings held from {@code from} to {@code to} (both included), newest first. */
    List<Training> trainings(LocalDate from, LocalDate to) {
        return queryTrainings("WHERE t.held_on BETWEEN ? AND ?", from, to);
    }

    private List<Training> queryTrainings(String where, Object... params) {
        Map<Long, List<String>> attendees = new HashMap<>();
        jdbc.sql("SELECT a.training_id, a.member_id FROM training_attendee a JOIN training t ON t.id = a.training_id "
                + where).params(params)
                .query(rs -> {
                    attendees.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        List<Training> list = new ArrayList<>(jdbc.sql("SELECT t.id, t.unit_id, t.held_on, t.kind, t.topic,"
                + " t.recorded_by, t.recorded_at FROM training t " + where).params(params)
                .query((rs, n) -> {
                    long id = rs.getLong(1);
                    List<String> members = new ArrayList<>(attendees.getOrDefault(id, List.of()));
                    members.sort(Comparator.naturalOrder());
                    return new Training(id, rs.getString(2), rs.getObject(3, LocalDate.class),
                            TrainingKind.of(rs.getString(4)).orElseThrow(), rs.getString(5), List.copyOf(members),
                            rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant());
                }).list());
        list.sort(Comparator.comparing(Training::day).thenComparing(Training::id).reversed());
        return list;
    }

    Optional<MemberRef> member(String memberId) {
        return jdbc.sql("SELECT id, unit_id, name FROM member WHERE id = ?").param(memberId)
                .query((rs, n) -> new MemberRef(rs.getString(1), rs.getString(2), rs.getString(3))).optional();
    }

    boolean incidentExists(String incidentId) {
        return jdbc.sql("SELECT COUNT(*) FROM incident WHERE id = ?").param(incidentId).query(Long.class).single() > 0;
    }

    long addCommendation(String memberId, LocalDate day, String reason, String incidentId, String recordedBy,
            Instant at) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO commendation (member_id, awarded_on, reason, incident_id, recorded_by, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(memberId, day, reason, incidentId, recordedBy, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update(key, "id");
        return key.getKeyAs(Number.class).longValue();
    }

    Optional<Commendation> commendation(long id) {
        return queryCommendations("WHERE c.id = ?", id).stream().findFirst();
    }

    /** Every commendation, newest first. */
    List<Commendation> commendations() {
        return queryCommendations("");
    }

    private List<Commendation> queryCommendations(String where, Object... params) {
        List<Commendation> list = new ArrayList<>(jdbc.sql("SELECT c.id, c.member_id, m.name, m.unit_id, c.awarded_on,"
                + " c.reason, c.incident_id, c.recorded_by, c.recorded_at FROM commendation c"
                + " JOIN member m ON m.id = c.member_id " + where).params(params)
                .query((rs, n) -> new Commendation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getObject(9, OffsetDateTime.class).toInstant()))
                .list());
        list.sort(Comparator.comparing(Commendation::day).thenComparing(Commendation::id).reversed());
        return list;
    }
}
