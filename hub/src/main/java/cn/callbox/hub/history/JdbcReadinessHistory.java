package cn.callbox.hub.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.ItemCount;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.history.HistoryPoint.UnitReadiness;

/**
 * Readiness history in the hub's database (Flyway V6), the store used when no InfluxDB is configured. A call to
 * {@link #record} is one transaction: all its points or none. Thread-safe.
 */
final class JdbcReadinessHistory implements ReadinessHistory {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    JdbcReadinessHistory(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void record(List<? extends HistoryPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> points.forEach(this::insert));
    }

    private void insert(HistoryPoint point) {
        if (point instanceof UnitReadiness r) {
            insertReadiness(r);
        } else if (point instanceof LockerItems l) {
            new TreeMap<>(l.present()).forEach((kind, present) -> jdbc.sql("""
                    INSERT INTO locker_items_history (at, township, village_id, unit_id, callbox, kind, present)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(time(l.at()), l.township(), l.village(), l.unit(), l.box(), kind, present).update());
        } else if (point instanceof CallBoxStatus s) {
            jdbc.sql("""
                    INSERT INTO callbox_status_history (at, township, village_id, unit_id, callbox, online)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                    .params(time(s.at()), s.township(), s.village(), s.unit(), s.box(), s.online()).update();
        }
    }

    private void insertReadiness(UnitReadiness r) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO unit_readiness_history (at, township, village_id, unit_id, state, ready, on_duty)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(time(r.at()), r.township(), r.village(), r.unit(), r.state(), r.ready(), r.onDuty())
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        for (ItemCount item : r.items()) {
            jdbc.sql("INSERT INTO unit_readiness_history_item (history_id, kind, required, present) VALUES (?, ?, ?, ?)")
                    .params(id, item.kind(), item.required(), item.present()).update();
        }
    }

    @Override
    public List<ReadinessEntry> query(String unitId, Instant from, Instant to) {
        // one row per item (or one with null kind for a point without items); ordered so that rows of a point are
        // adjacent and points come oldest first, recording order breaking ties
        Map<Long, Row> rows = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT h.id, h.at, h.state, h.ready, h.on_duty, i.kind, i.required, i.present
                FROM unit_readiness_history h
                LEFT JOIN unit_readiness_history_item i ON i.history_id = h.id
                WHERE h.unit_id = ? AND h.at >= ? AND h.at <= ?
                ORDER BY h.at, h.id, i.kind""")
                .params(unitId, time(from), time(to))
                .query((ResultSet rs) -> {
                    long id = rs.getLong(1);
                    Row row = rows.get(id);
                    if (row == null) {
                        row = new Row(instant(rs, 2), rs.getString(3), rs.getBoolean(4), rs.getInt(5),
                                new ArrayList<>());
                        rows.put(id, row);
                    }
                    String kind = rs.getString(6);
                    if (kind != null) {
                        row.items().add(new ItemCount(kind, rs.getInt(7), rs.getInt(8)));
                    }
                });
        return rows.values().stream()
                .map(r -> new ReadinessEntry(r.at(), r.state(), r.ready(), r.onDuty(), r.items()))
                .toList();
    }

    private record Row(Instant at, String state, boolean ready, int onDuty, List<ItemCount> items) {
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
