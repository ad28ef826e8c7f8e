package cn.callbox.hub.registry;

import org.junit.jupiter.api.extension.ExtendWith;

import cn.callbox.hub.postgres.PostgresExtension;

/** {@link RegistryImportTest} on PostgreSQL 15: each test in a fresh schema of the run's server. */
@ExtendWith(PostgresExtension.class)
class PostgresRegistryImportTest extends RegistryImportTest {

    @Override
    TestDatabase database() {
        return new TestDatabase(PostgresExtension.server().newSchema());
    }
}
