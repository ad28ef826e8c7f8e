package cn.callbox.hub.supervision;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link SelfTestResults} in the hub database (table {@code self_test_result}, V5). */
final class JdbcSelfTestResults implements SelfTestResults {

    /** The details column's width. */
    static final int DETAILS_MAX = 500;

    private final JdbcClient jdbc;

    JdbcSelfTestResults(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    @Override
    public void add(SelfTestResult result) {
        String details = result.details().length() > DETAILS_MAX ? result.details().substring(0, DETAILS_MAX)
                : result.details();
        jdbc.sql("INSERT INTO self_test_result (endpoint, at, passed, details) VALUES (?, ?, ?, ?)")
                .params(result.endpoint(), OffsetDateTime.ofInstant(result.at(), ZoneOffset.UTC), result.passed(),
                        details)
                .update();
    }

    @Override
    public List<SelfTestResult> of(String endpoint, int limit) {
        return jdbc.sql("SELECT endpoint, at, passed, details FROM self_test_result WHERE endpoint = ? "
                + "ORDER BY at DESC, id DESC LIMIT ?")
                .params(endpoint, limit)
                .query((rs, row) -> new SelfTestResult(rs.getString("endpoint"),
                        rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getBoolean("passed"),
                        rs.getString("details")))
                .list();
    }
}
