package cn.callbox.hub.rectification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.rectification.Rectification.LogLine;
import cn.callbox.hub.rectification.RectificationTasks.Reason;

/**
 * Tasks over the hub database (tables of {@code V4__rectification.sql}; H2 or PostgreSQL). Every write is one
 * transaction; the log is append-only (a save inserts the lines the table does not hold yet). Times in UTC.
 */
final class JdbcRectificationStore {

    private static final String COLUMNS = "id, unit_id, reason, subject, state, detail, assignee, opened_at, due_at, "
            + "note, evidence";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JdbcRectificationStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    /** Inserts a new task or updates a known one, with the log lines not stored yet. */
    void save(Rectification task) {
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE rectification SET state = ?, detail = ?, assignee = ?, due_at = ?, "
                    + "note = ?, evidence = ? WHERE id = ?")
                    .params(task.state().wireName(), task.detail(), task.assignee(), time(task.dueAt()), task.note(),
                            task.evidence(), task.id())
                    .update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO rectification (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(task.id(), task.unitId(), task.reason().wireName(), task.subject(),
                                task.state().wireName(), task.detail(), task.assignee(), time(task.openedAt()),
                                time(task.dueAt()), task.note(), task.evidence())
                        .update();
            }
            int stored = jdbc.sql("SELECT COUNT(*) FROM rectification_log WHERE task_id = ?").param(task.id())
                    .query(Integer.class).single();
            for (int i = stored; i < task.log().size(); i++) {
                LogLine line = task.log().get(i);
                jdbc.sql("INSERT INTO rectification_log (task_id, position, logged_at, actor, message) "
                        + "VALUES (?, ?, ?, ?, ?)")
                        .params(task.id(), i, time(line.at()), line.actor(), line.message()).update();
            }
        });
    }

    Optional<Rectification> find(String id) {
        List<Rectification> found = many("SELECT " + COLUMNS + " FROM rectification WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Every task, newest first. */
    List<Rectification> all() {
        return many("SELECT " + COLUMNS + " FROM rectification ORDER BY opened_at DESC, id DESC");
    }

    /** The tasks of the unit for that reason and subject that are not closed, oldest first. */
    List<Rectification> notClosed(String unitId, Reason reason, String subject) {
        if (subject == null) {
            return many("SELECT " + COLUMNS + " FROM rectification WHERE unit_id = ? AND reason = ? "
                    + "AND subject IS NULL AND state <> ? ORDER BY opened_at, id", unitId, reason.wireName(),
                    RectificationState.CLOSED.wireName());
        }
        return many("SELECT " + COLUMNS + " FROM rectification WHERE unit_id = ? AND reason = ? AND subject = ? "
                + "AND state <> ? ORDER BY opened_at, id", unitId, reason.wireName(), subject,
                RectificationState.CLOSED.wireName());
    }

    /** Tasks in one of the given states, oldest first. */
    List<Rectification> inStates(RectificationState... states) {
        List<Rectification> out = new ArrayList<>();
        for (RectificationState state : states) {
            out.addAll(many("SELECT " + COLUMNS + " FROM rectification WHERE state = ? ORDER BY opened_at, id",
                    state.wireName()));
        }
        return out;
    }

    /**
     * The unit of a console user who is a unit leader (the {@code users} table of the system feature); empty for other
     * roles and unknown users.
     */
    Optional<String> unitOfUser(String username) {
        return jdbc.sql("SELECT unit_id FROM users WHERE username = ?").param(username).query(String.class).optional();
    }

    private List<Rectification> many(String sql, Object... params) {
        List<Rectification> rows = jdbc.sql(sql).params(params).query(JdbcRectificationStore::row).list();
        List<Rectification> out = new ArrayList<>(rows.size());
        for (Rectification r : rows) {
            List<LogLine> log = jdbc.sql("SELECT logged_at, actor, message FROM rectification_log WHERE task_id = ? "
                    + "ORDER BY position").param(r.id())
                    .query((rs, n) -> new LogLine(instant(rs, "logged_at"), rs.getString("actor"),
                            rs.getString("message")))
                    .list();
            out.add(new Rectification(r.id(), r.unitId(), r.reason(), r.subject(), r.state(), r.detail(),
                    r.assignee(), r.openedAt(), r.dueAt(), r.note(), r.evidence(), log));
        }
        return out;
    }

    private static Rectification row(ResultSet rs, int n) throws SQLException {
        return new Rectification(rs.getString("id"), rs.getString("unit_id"), reason(rs.getString("reason")),
                rs.getString("subject"), RectificationState.fromWire(rs.getString("state")), rs.getString("detail"),
                rs.getString("assignee"), instant(rs, "opened_at"), instant(rs, "due_at"), rs.getString("note"),
                rs.getString("evidence"), List.of());
    }

    static Reason reason(String wire) {
        for (Reason r : Reason.values()) {
            if (r.wireName().equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rectification reason: " + wire);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
