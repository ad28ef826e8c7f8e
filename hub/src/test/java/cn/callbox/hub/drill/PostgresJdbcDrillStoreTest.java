package cn.callbox.hub.drill;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link JdbcDrillStoreTest} on PostgreSQL 15: each test in a fresh schema of the run's server, migrated by Flyway. */
@ExtendWith(PostgresExtension.class)
class PostgresJdbcDrillStoreTest extends JdbcDrillStoreTest {

    @Override
    DataSource database() {
        return migrated(PostgresExtension.server().newSchema());
    }
}
