package cn.callbox.hub.announcement;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link AnnouncementServiceTest} on PostgreSQL 15: each test in a fresh schema of the run's server, migrated by Flyway. */
@ExtendWith(PostgresExtension.class)
class PostgresAnnouncementServiceTest extends AnnouncementServiceTest {

    @Override
    DataSource database() {
        return Fixtures.migrated(PostgresExtension.server().newSchema());
    }
}
