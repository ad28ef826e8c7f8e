package cn.callbox.hub.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.postgres.PostgresExtension;
import cn.callbox.hub.training.JdbcTrainingRecords.Commendation;
import cn.callbox.hub.training.JdbcTrainingRecords.Training;

/** V11 and {@link JdbcTrainingRecords} on PostgreSQL 15, every migration applied, in a fresh schema. */
@ExtendWith(PostgresExtension.class)
class PostgresTrainingRecordsTest {

    private static final Instant AT = Instant.parse("2026-05-15T02:00:00Z");

    @Test
    void trainings_and_commendations_round_trip_on_postgres() {
        DataSource dataSource = PostgresExtension.server().newSchema();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("INSERT INTO township (id, name, district) VALUES ('t1', '一镇', '某区')").update();
        jdbc.sql("INSERT INTO village (id, township_id, name) VALUES ('v1', 't1', '一村')").update();
        jdbc.sql("INSERT INTO unit (id, village_id, name, lat, lon) VALUES ('u1', 'v1', '一村单元', 30.7, 108.4)")
                .update();
        for (String id : List.of("u1-m1", "u1-m2")) {
            jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident) VALUES (?, 'u1', ?, '民兵', TRUE)")
                    .params(id, "队员" + id).update();
        }
        JdbcTrainingRecords records = new JdbcTrainingRecords(jdbc);

        long first = records.addTraining("u1", LocalDate.of(2026, 2, 1), TrainingKind.ONLINE, "线上学习",
                List.of("u1-m2", "u1-m1"), "admin", AT);
        long second = records.addTraining("u1", LocalDate.of(2026, 4, 1), TrainingKind.OFFLINE, "演练",
                List.of("u1-m1"), "leader", AT);
        long commendation = records.addCommendation("u1-m1", LocalDate.of(2026, 5, 1), "疏散群众", null, "admin", AT);

        Training training = records.training(first).orElseThrow();
        assertThat(training.attendees()).containsExactly("u1-m1", "u1-m2");
        assertThat(training.recordedAt()).isEqualTo(AT);
        assertThat(records.trainings(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))).extracting(Training::id)
                .containsExactly(second, first);
        assertThat(records.trainings("u1", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)))
                .extracting(Training::id).containsExactly(first);
        Commendation c = records.commendation(commendation).orElseThrow();
        assertThat(c.memberName()).isEqualTo("队员u1-m1");
        assertThat(c.unitId()).isEqualTo("u1");
        assertThat(c.incidentId()).isNull();
        assertThat(records.incidentExists("inc-404")).isFalse();
    }
}
