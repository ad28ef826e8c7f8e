package cn.callbox.hub.history;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link JdbcReadinessHistoryTest} on PostgreSQL 15: each test in a fresh schema of the run's server. */
@ExtendWith(PostgresExtension.class)
class PostgresJdbcReadinessHistoryTest extends JdbcReadinessHistoryTest {

    @Override
    DataSource database() {
        return migrated(PostgresExtension.server().newSchema());
    }
}
