package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

import cn.callbox.protocol.AlertRole;

/**
 * The incident tables of V2 on H2 (PostgreSQL mode), with the registry's V1 applied first;
 * {@link PostgresJdbcIncidentStoreTest} runs the same tests on PostgreSQL.
 */
class JdbcIncidentStoreTest {

    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");

    final JdbcIncidentStore store = Fakes.store(database());

    /** The one thing the database variants change. Called while constructing the test: use no instance state. */
    DataSource database() {
        return Fakes.database();
    }

    static Incident incident(String id, long sequence) {
        return Incident.raise(id, "box-a", new Press(sequence, T0, T0, T0.plusSeconds(1)), "后山场镇集市", "后山村", 30.8,
                108.4);
    }

    @Test
    void an_incident_round_trips_with_its_units_and_log() {
        Incident incident = incident("INC-20261129-AAAAAA", 7);
        store.insert(incident);
        incident.alert(new DispatchStep("unit-a", AlertRole.PRIMARY, 0.0, "responsible"), false, T0.plusSeconds(2));
        incident.escalateAt(T0.plusSeconds(62));
        incident.acknowledge("unit-a", "m-a1", T0.plusSeconds(9));
        store.save(incident);

        Incident loaded = store.findByPress("box-a", 7, T0, T0).orElseThrow();

        assertThat(IncidentView.of(loaded)).isEqualTo(IncidentView.of(incident));
        assertThat(loaded.log()).extracting(LogEntry::type).containsExactly(LogType.RAISED, LogType.ALERTED,
                LogType.ACKNOWLEDGED);
        assertThat(store.open()).extracting(Incident::id).containsExactly("INC-20261129-AAAAAA");
        incident.report(ReportStatus.RESOLVED, "done", T0.plusSeconds(99));
        store.save(incident);
        assertThat(store.open()).isEmpty();
        assertThat(store.findById("INC-20261129-AAAAAA").orElseThrow().state()).isEqualTo(IncidentState.RESOLVED);
    }

    @Test
    void the_database_refuses_a_second_incident_for_the_same_alarm() {
        store.insert(incident("INC-20261129-AAAAAA", 7));

        assertThatThrownBy(() -> store.insert(incident("INC-20261129-BBBBBB", 7)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.recent(10)).extracting(Incident::id).containsExactly("INC-20261129-AAAAAA");
        assertThat(store.findById("INC-20261129-BBBBBB")).isEmpty();
    }

    @Test
    void recent_lists_the_newest_first_within_the_limit() {
        for (int i = 0; i < 3; i++) {
            store.insert(Incident.raise("INC-" + i, "box-a", new Press(i, T0, T0, T0.plusSeconds(i)), "p", "v", 0, 0));
        }
        assertThat(store.recent(2)).extracting(Incident::id).isEqualTo(List.of("INC-2", "INC-1"));
    }

    @Test
    void drills_round_trip_without_a_call_box_are_numbered_and_never_taken_for_an_alarm() {
        assertThat(store.lastDrillNumber()).isZero();
        store.insert(incident("INC-20261129-AAAAAA", 2));
        Incident boxless = Incident.drill("INC-20261129-DRILL1", "unit-x", 0, null, 1, "unit-x", "村", 30.9, 108.5,
                "zhang", T0);
        Incident atBox = Incident.drill("INC-20261129-DRILL2", "unit-a", 0, "box-a", 2, "后山场镇集市", "后山村", 30.8,
                108.4, "zhang", T0.plusSeconds(1));
        store.insert(boxless);
        store.insert(atBox);

        assertThat(store.lastDrillNumber()).isEqualTo(2);
        assertThat(IncidentView.of(store.findById("INC-20261129-DRILL1").orElseThrow()))
                .isEqualTo(IncidentView.of(boxless));
        assertThat(store.findById("INC-20261129-DRILL1").orElseThrow().callbox()).isNull();
        assertThat(store.findByPress("box-a", 2, T0, T0)).get().extracting(Incident::id).isEqualTo("INC-20261129-AAAAAA");
        assertThatThrownBy(() -> store.insert(Incident.drill("INC-20261129-DRILL3", "unit-a", 0, "box-a", 2, "p", "v",
                0, 0, "zhang", T0))).isInstanceOf(DuplicateKeyException.class);
    }
}
