package cn.callbox.hub.firmware;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link RolloutEngineTest} on PostgreSQL 15: each test in a fresh schema of the run's server, migrated by Flyway. */
@ExtendWith(PostgresExtension.class)
class RolloutPostgresEngineTest extends RolloutEngineTest {

    @Override
    DataSource database() {
        return migrated(PostgresExtension.server().newSchema());
    }
}
