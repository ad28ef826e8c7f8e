package cn.callbox.hub.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.ItemCount;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.history.HistoryPoint.UnitReadiness;

/**
 * The database history store (Flyway V6) on H2 in PostgreSQL mode; {@link PostgresJdbcReadinessHistoryTest} runs the
 * same tests on PostgreSQL 15.
 */
class JdbcReadinessHistoryTest {

    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");

    final DataSource dataSource = database();
    final JdbcClient jdbc = JdbcClient.create(dataSource);
    final JdbcReadinessHistory history = new JdbcReadinessHistory(jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)));

    /** The one thing the database variants change. Called while constructing the test: use no instance state. */
    DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return migrated(ds);
    }

    static DataSource migrated(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    static UnitReadiness readiness(String unit, Instant at, boolean ready, int helmets) {
        return new UnitReadiness(at, "houshan", "v-houshan", unit, ready ? "ready" : "kit-missing", ready, 4,
                List.of(new ItemCount("helmet", 4, helmets), new ItemCount("baton", 1, 1)));
    }

    @Test
    void readiness_points_round_trip_in_time_order_within_the_range() {
        history.record(List.of(readiness("unit-a", T0.plusSeconds(20), true, 4),
                readiness("unit-a", T0, true, 4),
                readiness("unit-b", T0.plusSeconds(5), false, 0),
                readiness("unit-a", T0.plusSeconds(10), false, 3)));
        history.record(List.of(readiness("unit-a", T0.plusSeconds(99), true, 4)));

        List<ReadinessEntry> entries = history.query("unit-a", T0, T0.plusSeconds(20));

        assertThat(entries).extracting(ReadinessEntry::at).containsExactly(T0, T0.plusSeconds(10),
                T0.plusSeconds(20));
        ReadinessEntry missing = entries.get(1);
        assertThat(missing.state()).isEqualTo("kit-missing");
        assertThat(missing.ready()).isFalse();
        assertThat(missing.onDuty()).isEqualTo(4);
        assertThat(missing.items()).containsExactly(new ItemCount("baton", 1, 1), new ItemCount("helmet", 4, 3));
        assertThat(history.query("unit-a", T0.plusSeconds(21), T0.plusSeconds(98))).isEmpty();
        assertThat(history.query("unit-c", T0, T0.plusSeconds(999))).isEmpty();
    }

    @Test
    void points_with_the_same_time_keep_the_order_they_were_recorded_in() {
        history.record(List.of(readiness("unit-a", T0, true, 4), readiness("unit-a", T0, false, 2),
                readiness("unit-a", T0, false, 1)));

        assertThat(history.query("unit-a", T0, T0)).extracting(e -> e.items().get(1).present())
                .containsExactly(4, 2, 1);
    }

    @Test
    void locker_counts_and_box_status_are_stored_tagged_with_village_unit_and_box() {
        history.record(List.of(new LockerItems(T0, "houshan", "v-houshan", "unit-a", "box-1",
                Map.of("helmet", 3, "baton", 1)),
                new CallBoxStatus(T0.plusSeconds(1), "houshan", "v-houshan", "unit-a", "box-1", false)));

        assertThat(jdbc.sql("SELECT kind, present FROM locker_items_history WHERE callbox = 'box-1' AND unit_id = "
                + "'unit-a' AND village_id = 'v-houshan' ORDER BY kind").query((rs, n) -> rs.getString(1) + "="
                        + rs.getInt(2)).list()).containsExactly("baton=1", "helmet=3");
        assertThat(jdbc.sql("SELECT online FROM callbox_status_history WHERE callbox = 'box-1' AND township = 'houshan'")
                .query(Boolean.class).list()).containsExactly(false);
    }
}
