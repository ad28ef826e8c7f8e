package cn.callbox.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.callbox.hub.postgres.PostgresExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link HubApplicationTest} with {@code spring.datasource.url} pointing at the run's PostgreSQL 15 (database
 * {@code callbox}, schema {@code public}): Flyway migrates it, the demo profile seeds it, and the API serves from it.
 * The context is closed after the class so its connection pool is gone before the server stops.
 */
@ExtendWith(PostgresExtension.class)
@DirtiesContext
class PostgresHubApplicationTest extends HubApplicationTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresExtension.server().jdbcUrl());
        registry.add("spring.datasource.username", () -> PostgresExtension.server().user());
        registry.add("spring.datasource.password", () -> PostgresExtension.server().password());
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    Flyway flyway;

    @Test
    void flyway_migrates_postgresql_and_the_api_lists_the_demo_units_from_it() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(connection.getMetaData().getURL()).isEqualTo(PostgresExtension.server().jdbcUrl());
        }
        JdbcClient jdbc = JdbcClient.create(dataSource);
        List<String> migrations = Arrays.stream(flyway.info().all()).map(m -> m.getVersion().getVersion()).toList();
        assertThat(migrations).as("the migrations on the class path").startsWith("1", "2");
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).as("every one applied on PostgreSQL").isEqualTo(migrations);

        HttpResponse<String> response = getAsAdmin("/api/units");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode units = JsonMapper.builder().build().readTree(response.body());
        assertThat(units.valueStream().map(u -> u.get("id").asString()).toList()).containsExactlyInAnyOrder(
                "hs-market", "hs-houshan", "hs-tianxing", "hs-longquan", "hs-shiping");
        JsonNode houshan = units.valueStream().filter(u -> u.get("id").asString().equals("hs-houshan")).findFirst()
                .orElseThrow();
        assertThat(houshan.get("name").asString()).isEqualTo("后山社区应急处置单元");
        assertThat(houshan.get("village").asString()).isEqualTo("后山社区");
        assertThat(houshan.get("callboxes").valueStream().map(JsonNode::asString).toList())
                .isEqualTo(List.of("hs-houshan-01", "hs-houshan-02"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM unit").query(Long.class).single()).isEqualTo(units.size());
    }
}
