package cn.callbox.hub.drill;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drills and plan entries over the hub database (tables of {@code V10__drills.sql}; H2 or PostgreSQL). Every write is
 * one transaction. Times in UTC.
 */
final class JdbcDrillStore {

    private static final String DRILL_COLUMNS = "id, unit_id, incident_id, started_at, started_by, plan_id";
    private static final String PLAN_COLUMNS = "id, plan_year, plan_month, unit_id, planned_at, drill_id";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JdbcDrillStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    /**
     * Stores a started drill and, when it ran a plan entry, marks that entry as run, in one transaction.
     *
     * @return false (nothing stored) when the plan entry has run already or is gone
     */
    boolean insert(Drill drill) {
        Boolean stored = tx.execute(status -> {
            if (drill.planId() != null) {
                int marked = jdbc.sql("UPDATE drill_plan SET drill_id = ? WHERE id = ? AND drill_id IS NULL")
                        .params(drill.id(), drill.planId()).update();
                if (marked == 0) {
                    return false;
                }
            }
            jdbc.sql("INSERT INTO drill (" + DRILL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                    .params(drill.id(), drill.unitId(), drill.incidentId(), time(drill.startedAt()),
                            drill.startedBy(), drill.planId())
                    .update();
            return true;
        });
        return Boolean.TRUE.equals(stored);
    }

    Optional<Drill> drill(String id) {
        return jdbc.sql("SELECT " + DRILL_COLUMNS + " FROM drill WHERE id = ?").param(id)
                .query(JdbcDrillStore::drillRow).optional();
    }

    /** Drills started in [from, to), newest first. */
    List<Drill> drills(Instant from, Instant to) {
        return jdbc.sql("SELECT " + DRILL_COLUMNS + " FROM drill WHERE started_at >= ? AND started_at < ? "
                + "ORDER BY started_at DESC, id DESC").params(time(from), time(to))
                .query(JdbcDrillStore::drillRow).list();
    }

    /** The newest drills first, at most {@code limit}. */
    List<Drill> latest(int limit) {
        return jdbc.sql("SELECT " + DRILL_COLUMNS + " FROM drill ORDER BY started_at DESC, id DESC LIMIT ?")
                .param(limit).query(JdbcDrillStore::drillRow).list();
    }

    /** Per unit, its latest drill start. */
    Map<String, Instant> lastDrilled() {
        Map<String, Instant> last = new HashMap<>();
        jdbc.sql("SELECT unit_id, MAX(started_at) AS last_at FROM drill GROUP BY unit_id")
                .query((rs, n) -> last.put(rs.getString("unit_id"), instant(rs, "last_at"))).list();
        return last;
    }

    /** The year's plan entries, by planned time. */
    List<PlanEntry> plan(int year) {
        return jdbc.sql("SELECT " + PLAN_COLUMNS + " FROM drill_plan WHERE plan_year = ? ORDER BY planned_at, id")
                .param(year).query(JdbcDrillStore::planRow).list();
    }

    /** Entries not run yet planned before {@code before}, any year. */
    List<PlanEntry> pendingBefore(Instant before) {
        return jdbc.sql("SELECT " + PLAN_COLUMNS + " FROM drill_plan WHERE drill_id IS NULL AND planned_at < ? "
                + "ORDER BY planned_at, id").param(time(before)).query(JdbcDrillStore::planRow).list();
    }

    Optional<PlanEntry> entry(String id) {
        return jdbc.sql("SELECT " + PLAN_COLUMNS + " FROM drill_plan WHERE id = ?").param(id)
                .query(JdbcDrillStore::planRow).optional();
    }

    /**
     * Replaces the entries of {@code year} from {@code fromMonth} on that have not run by {@code entries}, in one
     * transaction; entries that ran and earlier months stay.
     */
    void replacePending(int year, int fromMonth, List<PlanEntry> entries, String actor, Instant now) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM drill_plan WHERE plan_year = ? AND plan_month >= ? AND drill_id IS NULL")
                    .params(year, fromMonth).update();
            for (PlanEntry e : entries) {
                jdbc.sql("INSERT INTO drill_plan (" + PLAN_COLUMNS + ", created_at, created_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(e.id(), e.month().getYear(), e.month().getMonthValue(), e.unitId(),
                                time(e.plannedAt()), e.drillId(), time(now), actor)
                        .update();
            }
        });
    }

    private static Drill drillRow(ResultSet rs, int n) throws SQLException {
        return new Drill(rs.getString("id"), rs.getString("unit_id"), rs.getString("incident_id"),
                instant(rs, "started_at"), rs.getString("started_by"), rs.getString("plan_id"));
    }

    private static PlanEntry planRow(ResultSet rs, int n) throws SQLException {
        return new PlanEntry(rs.getString("id"), rs.getString("unit_id"),
                YearMonth.of(rs.getInt("plan_year"), rs.getInt("plan_month")), instant(rs, "planned_at"),
                rs.getString("drill_id"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
