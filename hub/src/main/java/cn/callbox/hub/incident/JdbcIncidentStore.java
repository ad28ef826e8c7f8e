package cn.callbox.hub.incident;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.IncidentKind;
import cn.callbox.protocol.WireName;

/**
 * {@link IncidentStore} over the hub database (tables of {@code V2__incidents.sql} and {@code V15__incident_presses.sql};
 * H2 or PostgreSQL). Every write is one transaction, made durable before it returns ({@code flush}). The log and the
 * presses are append-only: a save inserts the entries the tables do not hold yet and never rewrites older ones. Times
 * are stored as {@code TIMESTAMP WITH TIME ZONE} in UTC.
 */
final class JdbcIncidentStore implements IncidentStore {

    private static final String INCIDENT_COLUMNS = "id, kind, state, callbox, alarm_sequence, place, village, lat, "
            + "lon, raised_at, recorded_at, escalated, needs_police, needs_ambulance, next_escalation_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Runnable flush;

    /**
     * @param flush runs after each committed write and returns once the commit is on disk: a no-op for PostgreSQL
     *        (a commit is durable there), a checkpoint for H2 ({@link #flushFor})
     */
    JdbcIncidentStore(JdbcClient jdbc, TransactionTemplate tx, Runnable flush) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.flush = Objects.requireNonNull(flush, "flush");
    }

    /**
     * What makes a commit durable on {@code dataSource}'s database, found on first use (the database may be down when
     * the hub starts). H2 keeps committed changes in memory for up to its write delay (500 ms) before it writes them
     * to its file: a hub killed in that window loses incidents it had already acknowledged to the box (seen: 238 ms
     * after the insert). {@code CHECKPOINT SYNC} writes them and fsyncs the file. ({@code WRITE_DELAY=0} is no fix:
     * it turns H2's background writer off.) A PostgreSQL commit is durable already.
     */
    static Runnable flushFor(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new Runnable() {
            private volatile Boolean h2;

            @Override
            public void run() {
                Boolean isH2 = h2;
                if (isH2 == null) {
                    try {
                        isH2 = h2 = "H2".equals(JdbcUtils.extractDatabaseMetaData(dataSource,
                                DatabaseMetaData::getDatabaseProductName));
                    } catch (MetaDataAccessException e) {
                        throw new DataAccessResourceFailureException("cannot tell the database product", e);
                    }
                }
                if (isH2) {
                    jdbc.sql("CHECKPOINT SYNC").update();
                }
            }
        };
    }

    @Override
    public void insert(Incident incident) {
        tx.executeWithoutResult(status -> {
            insertRow(incident);
            writeChildren(incident);
        });
        flush.run();
    }

    @Override
    public void save(Incident incident) {
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE incident SET state = ?, escalated = ?, needs_police = ?, "
                    + "needs_ambulance = ?, next_escalation_at = ? WHERE id = ?")
                    .params(incident.state().wireName(), incident.escalated(), incident.needsPolice(),
                            incident.needsAmbulance(), time(incident.nextEscalationAt()), incident.id())
                    .update();
            if (updated == 0) {
                insertRow(incident);
            }
            writeChildren(incident);
        });
        flush.run();
    }

    @Override
    public Optional<Incident> findById(String id) {
        return one("SELECT " + INCIDENT_COLUMNS + " FROM incident WHERE id = ?", id);
    }

    @Override
    public Optional<Incident> findByPress(String callbox, long sequence, Instant reportedAt, Instant unstampedSince) {
        // the newest press with that key: only presses without a time stamp can share one
        String select = "SELECT " + INCIDENT_COLUMNS + " FROM incident WHERE id = (SELECT incident_id FROM "
                + "incident_press WHERE callbox = ? AND alarm_sequence = ? AND ";
        String newest = " ORDER BY recorded_at DESC LIMIT 1)";
        return reportedAt != null ? one(select + "reported_at = ?" + newest, callbox, sequence, time(reportedAt))
                : one(select + "reported_at IS NULL AND recorded_at >= ?" + newest, callbox, sequence,
                        time(unstampedSince));
    }

    @Override
    public long lastDrillNumber() {
        return jdbc.sql("SELECT COALESCE(MAX(alarm_sequence), 0) FROM incident WHERE kind = ?")
                .param(IncidentKind.DRILL.wireName()).query(Long.class).single();
    }

    @Override
    public List<Incident> recent(int limit) {
        return many("SELECT " + INCIDENT_COLUMNS + " FROM incident ORDER BY recorded_at DESC, id DESC LIMIT ?",
                limit);
    }

    @Override
    public List<Incident> open() {
        return many("SELECT " + INCIDENT_COLUMNS + " FROM incident WHERE state NOT IN (?, ?) ORDER BY recorded_at",
                IncidentState.RESOLVED.wireName(), IncidentState.FALSE_ALARM.wireName());
    }

    private void insertRow(Incident i) {
        jdbc.sql("INSERT INTO incident (" + INCIDENT_COLUMNS + ", drill_number) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(i.id(), i.kind().wireName(), i.state().wireName(), i.callbox(), i.sequence(), i.place(),
                        i.village(), i.lat(), i.lon(), time(i.raisedAt()), time(i.recordedAt()), i.escalated(),
                        i.needsPolice(), i.needsAmbulance(), time(i.nextEscalationAt()),
                        i.drill() ? i.sequence() : null)
                .update();
    }

    /** Units are few and change in place (acknowledgements): rewritten whole. The log only grows. */
    private void writeChildren(Incident i) {
        jdbc.sql("DELETE FROM incident_unit WHERE incident_id = ?").param(i.id()).update();
        int position = 0;
        for (AlertedUnit u : i.units()) {
            jdbc.sql("INSERT INTO incident_unit (incident_id, unit_id, position, role, by_escalation, distance_km, "
                    + "reason, alerted_at, acknowledged_at, acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(i.id(), u.unit(), position++, u.role().wireName(), u.byEscalation(), u.distanceKm(),
                            truncate(u.reason(), 300), time(u.alertedAt()), time(u.acknowledgedAt()),
                            u.acknowledgedBy())
                    .update();
        }
        int stored = jdbc.sql("SELECT COUNT(*) FROM incident_log WHERE incident_id = ?").param(i.id())
                .query(Integer.class).single();
        List<LogEntry> log = i.log();
        for (int p = stored; p < log.size(); p++) {
            LogEntry e = log.get(p);
            jdbc.sql("INSERT INTO incident_log (incident_id, position, logged_at, type, unit_id, member_id, message) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(i.id(), p, time(e.at()), e.type().wireName(), e.unit(), e.member(),
                            truncate(e.text(), 1000))
                    .update();
        }
        int pressesStored = jdbc.sql("SELECT COUNT(*) FROM incident_press WHERE incident_id = ?").param(i.id())
                .query(Integer.class).single();
        List<Press> presses = i.presses();
        for (int p = pressesStored; p < presses.size(); p++) {
            Press press = presses.get(p);
            jdbc.sql("INSERT INTO incident_press (incident_id, position, callbox, alarm_sequence, reported_at, "
                    + "pressed_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(i.id(), p, i.callbox(), press.sequence(), time(press.reportedAt()),
                            time(press.pressedAt()), time(press.recordedAt()))
                    .update();
        }
    }

    private Optional<Incident> one(String sql, Object... params) {
        return many(sql, params).stream().findFirst();
    }

    private List<Incident> many(String sql, Object... params) {
        List<Row> rows = jdbc.sql(sql).params(params).query(JdbcIncidentStore::row).list();
        return rows.stream().map(this::load).toList();
    }

    private Incident load(Row r) {
        List<AlertedUnit> units = jdbc.sql("SELECT unit_id, role, by_escalation, distance_km, reason, alerted_at, "
                + "acknowledged_at, acknowledged_by FROM incident_unit WHERE incident_id = ? ORDER BY position")
                .param(r.id())
                .query((rs, n) -> new AlertedUnit(rs.getString(1), parse(AlertRole.class, rs.getString(2)),
                        rs.getBoolean(3), rs.getDouble(4), rs.getString(5), instant(rs, 6), instant(rs, 7),
                        rs.getString(8)))
                .list();
        List<LogEntry> log = jdbc.sql("SELECT logged_at, type, unit_id, member_id, message FROM incident_log "
                + "WHERE incident_id = ? ORDER BY position")
                .param(r.id())
                .query((rs, n) -> new LogEntry(instant(rs, 1), parse(LogType.class, rs.getString(2)),
                        rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
        List<Press> presses = jdbc.sql("SELECT alarm_sequence, reported_at, pressed_at, recorded_at FROM "
                + "incident_press WHERE incident_id = ? ORDER BY position")
                .param(r.id())
                .query((rs, n) -> new Press(rs.getLong(1), instant(rs, 2), instant(rs, 3), instant(rs, 4)))
                .list();
        return new Incident(r.id(), r.kind(), r.callbox(), r.sequence(), r.place(), r.village(), r.lat(), r.lon(),
                r.raisedAt(), r.recordedAt(), r.state(), r.escalated(), r.needsPolice(), r.needsAmbulance(),
                r.nextEscalationAt(), units, log, presses);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString(1), parse(IncidentKind.class, rs.getString(2)),
                parse(IncidentState.class, rs.getString(3)), rs.getString(4), rs.getLong(5), rs.getString(6),
                rs.getString(7), rs.getDouble(8), rs.getDouble(9), instant(rs, 10), instant(rs, 11),
                rs.getBoolean(12), rs.getBoolean(13), rs.getBoolean(14), instant(rs, 15));
    }

    private static <E extends Enum<E> & WireName> E parse(Class<E> type, String name) {
        return WireName.parse(type, name).orElseThrow(
                () -> new IllegalStateException("unknown " + type.getSimpleName() + " in the database: " + name));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private record Row(String id, IncidentKind kind, IncidentState state, String callbox, long sequence,
            String place, String village, double lat, double lon, Instant raisedAt, Instant recordedAt,
            boolean escalated, boolean needsPolice, boolean needsAmbulance, Instant nextEscalationAt) {
    }
}
