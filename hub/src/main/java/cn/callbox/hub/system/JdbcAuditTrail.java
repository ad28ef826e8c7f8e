package cn.callbox.hub.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The audit log in the hub database ({@code audit_log}, V7). */
@Component
class JdbcAuditTrail implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditTrail.class);
    private static final int MAX_DETAIL = 1000;
    private static final int MAX_TARGET = 128;

    private final JdbcClient jdbc;
    private final Clock clock;

    JdbcAuditTrail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void record(String actor, String action, String target, String detail) {
        try {
            jdbc.sql("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")
                    .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), clip(actor, 64),
                            clip(action, 64), clip(target, MAX_TARGET), clip(detail, MAX_DETAIL))
                    .update();
        } catch (RuntimeException e) {
            LOG.error("Could not write the audit entry {} {} {} ({})", actor, action, target, detail, e);
        }
    }

    @Override
    public List<AuditEntry> latest(int limit) {
        return jdbc.sql("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?")
                .param(Math.max(1, limit))
                .query((rs, n) -> new AuditEntry(rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant().toString(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
