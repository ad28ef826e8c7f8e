package cn.callbox.hub.announcement;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Broadcasts and their per-box results in the hub database (V9). Thread-safe. */
final class JdbcAnnouncementStore {

    private static final int MAX_DETAIL = 300;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    JdbcAnnouncementStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    void save(Announcement a) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO announcement (id, at, requested_by, message_text, clip_name, repeat_count) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")
                    .params(a.id(), OffsetDateTime.ofInstant(a.at(), ZoneOffset.UTC), a.requestedBy(), a.text(),
                            a.clip(), a.repeat())
                    .update();
            int seq = 0;
            for (Announcement.Result r : a.results()) {
                String detail = r.detail() == null || r.detail().length() <= MAX_DETAIL ? r.detail()
                        : r.detail().substring(0, MAX_DETAIL);
                jdbc.sql("INSERT INTO announcement_result (announcement_id, seq, endpoint, ok, detail) "
                        + "VALUES (?, ?, ?, ?, ?)")
                        .params(a.id(), seq++, r.endpoint(), r.ok(), detail).update();
            }
        });
    }

    /** The newest broadcasts first, at most {@code limit}, each with its results. */
    List<Announcement> latest(int limit) {
        record Row(String id, OffsetDateTime at, String requestedBy, String text, String clip, int repeat,
                String endpoint, boolean ok, String detail) {
        }
        List<Row> rows = jdbc.sql("SELECT a.id, a.at, a.requested_by, a.message_text, a.clip_name, a.repeat_count, "
                + "r.endpoint, r.ok, r.detail FROM (SELECT * FROM announcement ORDER BY at DESC, id DESC LIMIT ?) a "
                + "LEFT JOIN announcement_result r ON r.announcement_id = a.id ORDER BY a.at DESC, a.id DESC, r.seq")
                .param(Math.max(1, limit))
                .query((rs, n) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getBoolean(8),
                        rs.getString(9)))
                .list();
        Map<String, List<Row>> byId = new LinkedHashMap<>();
        for (Row row : rows) {
            byId.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(row);
        }
        List<Announcement> list = new ArrayList<>();
        for (List<Row> group : byId.values()) {
            Row first = group.get(0);
            List<Announcement.Result> results = new ArrayList<>();
            for (Row row : group) {
                if (row.endpoint() != null) {
                    results.add(new Announcement.Result(row.endpoint(), row.ok(), row.detail()));
                }
            }
            list.add(new Announcement(first.id(), first.at().toInstant(), first.requestedBy(), first.text(),
                    first.clip(), first.repeat(), results));
        }
        return list;
    }
}
