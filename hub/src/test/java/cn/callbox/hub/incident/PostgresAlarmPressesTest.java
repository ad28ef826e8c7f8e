package cn.callbox.hub.incident;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link AlarmPressesTest} on PostgreSQL 15: each test in a fresh schema of the run's server, migrated by Flyway. */
@ExtendWith(PostgresExtension.class)
class PostgresAlarmPressesTest extends AlarmPressesTest {

    @Override
    DataSource database() {
        return Fakes.migrated(PostgresExtension.server().newSchema());
    }
}
