package cn.callbox.hub.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Drills and plan entries round-trip through the database (H2 here, PostgreSQL in the subclass). */
class JdbcDrillStoreTest {

    static final Instant T0 = Instant.parse("2026-03-10T02:00:00Z");

    final JdbcDrillStore store = store(database());

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

    static JdbcDrillStore store(DataSource ds) {
        return new JdbcDrillStore(JdbcClient.create(ds), new TransactionTemplate(new DataSourceTransactionManager(ds)));
    }

    static PlanEntry entry(String id, String unit, int month, Instant at) {
        return new PlanEntry(id, unit, YearMonth.of(2026, month), at, null);
    }

    @Test
    void drills_round_trip_newest_first_with_the_last_drill_per_unit() {
        Drill older = new Drill("DRL-1", "unit-a", "INC-1", T0, "disp", null);
        Drill newer = new Drill("DRL-2", "unit-a", "INC-2", T0.plusSeconds(3600), "system", null);
        Drill other = new Drill("DRL-3", "unit-b", "INC-3", T0.plusSeconds(60), "police", null);
        assertThat(store.insert(older)).isTrue();
        assertThat(store.insert(newer)).isTrue();
        assertThat(store.insert(other)).isTrue();

        assertThat(store.drill("DRL-2")).contains(newer);
        assertThat(store.drill("DRL-X")).isEmpty();
        assertThat(store.latest(10)).containsExactly(newer, other, older);
        assertThat(store.latest(1)).containsExactly(newer);
        assertThat(store.drills(T0.plusSeconds(1), T0.plusSeconds(7200))).containsExactly(newer, other);
        assertThat(store.lastDrilled()).containsEntry("unit-a", newer.startedAt()).containsEntry("unit-b",
                other.startedAt()).hasSize(2);
    }

    @Test
    void a_plan_entry_runs_once_and_a_new_draw_replaces_only_pending_entries_from_its_month() {
        store.replacePending(2026, 1, List.of(entry("DP-1", "unit-a", 2, T0.minusSeconds(30 * 86400)),
                entry("DP-2", "unit-b", 3, T0.plusSeconds(86400)), entry("DP-3", "unit-c", 4, T0.plusSeconds(
                        30 * 86400))), "disp", T0);
        assertThat(store.plan(2026)).extracting(PlanEntry::id).containsExactly("DP-1", "DP-2", "DP-3");
        assertThat(store.entry("DP-2")).hasValueSatisfying(e -> {
            assertThat(e.month()).isEqualTo(YearMonth.of(2026, 3));
            assertThat(e.unitId()).isEqualTo("unit-b");
            assertThat(e.ran()).isFalse();
        });

        assertThat(store.insert(new Drill("DRL-9", "unit-b", "INC-9", T0, "disp", "DP-2"))).isTrue();
        assertThat(store.entry("DP-2")).hasValueSatisfying(e -> assertThat(e.drillId()).isEqualTo("DRL-9"));
        assertThat(store.insert(new Drill("DRL-10", "unit-b", "INC-10", T0, "disp", "DP-2"))).isFalse();
        assertThat(store.drill("DRL-10")).isEmpty();
        assertThat(store.pendingBefore(T0.plusSeconds(40 * 86400))).extracting(PlanEntry::id)
                .containsExactly("DP-1", "DP-3");

        store.replacePending(2026, 3, List.of(entry("DP-4", "unit-d", 5, T0.plusSeconds(60 * 86400))), "admin",
                T0);
        assertThat(store.plan(2026)).extracting(PlanEntry::id).containsExactly("DP-1", "DP-2", "DP-4");
        assertThat(store.plan(2027)).isEmpty();
    }
}
