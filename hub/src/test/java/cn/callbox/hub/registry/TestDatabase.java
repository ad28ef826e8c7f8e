package cn.callbox.hub.registry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A fresh database migrated by Flyway with every migration, with the registry's beans over it (keys sealed with a
 * fixed test key-encryption key): by default H2 in memory in PostgreSQL mode (the same settings as the hub's default
 * file database); PostgreSQL tests pass their own empty one.
 */
final class TestDatabase {

    static final Instant NOW = Instant.parse("2024-07-30T02:00:00Z");
    static final byte[] TEST_KEK = new byte[32];

    static {
        java.util.Arrays.fill(TEST_KEK, (byte) 7);
    }

    final DataSource dataSource;
    final JdbcClient jdbc;
    final TransactionTemplate transactions;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    /** The test key-encryption key (32 bytes of 7). */
    final KeyEncryption encryption = KeyEncryption.of(TEST_KEK);
    private final boolean h2;

    /** A fresh H2 in-memory database. */
    TestDatabase() {
        this(new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""),
                true);
    }

    /** Over an empty database (or schema) that is not H2, such as PostgreSQL's; {@link #shutdown()} leaves it be. */
    TestDatabase(DataSource dataSource) {
        this(dataSource, false);
    }

    private TestDatabase(DataSource dataSource, boolean h2) {
        this.dataSource = dataSource;
        this.h2 = h2;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    RegistryService registry() {
        return new RegistryService(jdbc, transactions, clock, encryption);
    }

    JdbcCallBoxKeys keys() {
        return new JdbcCallBoxKeys(jdbc, encryption);
    }

    JdbcTownshipDirectory directory() {
        return new JdbcTownshipDirectory(jdbc);
    }

    long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** Closes an H2 database (the in-memory one would outlive the test otherwise). */
    void shutdown() {
        if (h2) {
            jdbc.sql("SHUTDOWN").update();
        }
    }
}
