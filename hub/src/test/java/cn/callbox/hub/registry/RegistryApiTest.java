package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import static cn.callbox.hub.testing.HubApi.fields;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestUsers;

/**
 * The registry's REST API and the hub's HTTP security, served for real on a random port over an in-memory registry,
 * with fakes for live presence and readiness (owned by other packages). The console's login page is tested in
 * {@code console/ConsoleWebTest}; who sees which unit in {@link UnitScopingApiTest}.
 */
@SpringBootTest(classes = RegistryApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:registry-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + RegistryApiTest.ADMIN_PASSWORD })
class RegistryApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final Instant NOW = Instant.parse("2024-07-30T02:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2024, 7, 30);
    static final Instant SEEN = Instant.parse("2024-07-30T01:59:30Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, RegistryService.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }

        @Bean
        CallBoxPresence fakePresence() {
            Map<String, CallBoxPresence.Presence> known = Map.of("box-a",
                    new CallBoxPresence.Presence(true, SEEN, true, false, Map.of()));
            return endpoint -> known.getOrDefault(endpoint, CallBoxPresence.Presence.UNKNOWN);
        }

        @Bean
        ReadinessService fakeReadiness() {
            return unitId -> {
                if (!unitId.equals("u1")) {
                    throw new NoSuchElementException(unitId);
                }
                return new ReadinessService.UnitReadiness("u1", ReadinessService.State.KIT_MISSING, 3, "u1-m1",
                        List.of(new ReadinessService.ItemReadiness("helmet", 3, 2),
                                new ReadinessService.ItemReadiness("shield", 2, 2)),
                        List.of("helmet 2 of 3"));
            };
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "registry-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    RegistryService registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private HubApi api;

    @BeforeEach
    void seed() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        if (!registry.townshipExists("t1")) {
            registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                    List.of(RegistryServiceTest.duty("u1", TODAY, "u1-m1", "u1-m2", "u1-m3"))));
            new TestUsers(jdbc, encoder).add("disp", "dispatcher", null);
        }
    }

    @Test
    void the_api_without_credentials_answers_401_problem_details() throws Exception {
        HttpResponse<String> response = api.send("GET", "/api/callboxes", null, null);

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
    }

    @Test
    void the_api_with_a_wrong_password_answers_401_problem_details() throws Exception {
        assertProblem(api.send("GET", "/api/callboxes", "admin", "wrong-password", null), 401);
        assertProblem(api.send("GET", "/api/units", "nobody", ADMIN_PASSWORD, null), 401);
    }

    @Test
    void callboxes_list_every_box_with_its_live_presence() throws Exception {
        JsonNode boxes = api.ok(api.send("GET", "/api/callboxes", "admin", null), 200);
        assertThat(boxes).hasSize(2);
        for (JsonNode box : boxes) {
            assertThat(fields(box)).containsExactlyInAnyOrder("endpoint", "village", "place", "lat", "lon", "online",
                    "lastSeen", "sirenSounding", "unit", "lockerReady", "tamper", "onMains");
        }
        JsonNode a = boxes.get(0);
        assertThat(a.path("endpoint").asText()).isEqualTo("box-a");
        assertThat(a.path("village").asText()).isEqualTo("一村");
        assertThat(a.path("place").asText()).isEqualTo("集市");
        assertThat(a.path("lat").asDouble()).isEqualTo(30.75);
        assertThat(a.path("lon").asDouble()).isEqualTo(108.40);
        assertThat(a.path("online").asBoolean()).isTrue();
        assertThat(a.path("lastSeen").asText()).isEqualTo("2024-07-30T01:59:30Z");
        assertThat(a.path("sirenSounding").asBoolean()).isTrue();
        JsonNode b = boxes.get(1);
        assertThat(b.path("endpoint").asText()).isEqualTo("box-b");
        assertThat(b.path("online").asBoolean()).isFalse();
        assertThat(b.get("lastSeen").isNull()).isTrue();
    }

    @Test
    void a_unit_shows_members_todays_duty_and_readiness() throws Exception {
        JsonNode units = api.ok(api.send("GET", "/api/units", "disp", null), 200);
        assertThat(units).hasSize(1);
        assertThat(units.get(0).path("id").asText()).isEqualTo("u1");
        assertThat(units.get(0).path("name").asText()).isEqualTo("一村单元");
        assertThat(units.get(0).path("village").asText()).isEqualTo("一村");

        JsonNode unit = api.ok(api.send("GET", "/api/units/u1", "admin", null), 200);
        assertThat(fields(unit)).contains("id", "name", "village", "callboxes", "members", "duty", "readiness");
        assertThat(unit.path("callboxes").toString()).isEqualTo("[\"box-a\",\"box-b\"]");
        assertThat(unit.path("members")).hasSize(5);
        assertThat(fields(unit.path("members").get(0))).containsExactlyInAnyOrder("id", "name", "role", "resident");
        assertThat(unit.path("members").get(0).path("id").asText()).isEqualTo("u1-m1");
        assertThat(unit.path("members").get(0).path("resident").asBoolean()).isTrue();
        assertThat(unit.path("duty").path("leader").asText()).isEqualTo("u1-m1");
        assertThat(unit.path("duty").path("onDuty").toString()).isEqualTo("[\"u1-m1\",\"u1-m2\",\"u1-m3\"]");
        JsonNode readiness = unit.path("readiness");
        assertThat(readiness.path("state").asText()).isEqualTo("kit-missing");
        assertThat(readiness.path("ready").asBoolean(true)).isFalse();
        assertThat(readiness.path("onDuty").asInt()).isEqualTo(3);
        assertThat(readiness.path("leader").asText()).isEqualTo("u1-m1");
        assertThat(fields(readiness.path("items").get(0))).containsExactlyInAnyOrder("kind", "required", "present");
        assertThat(readiness.path("items").get(0).path("kind").asText()).isEqualTo("helmet");
        assertThat(readiness.path("items").get(0).path("required").asInt()).isEqualTo(3);
        assertThat(readiness.path("items").get(0).path("present").asInt()).isEqualTo(2);
        assertThat(readiness.path("problems").get(0).asText()).isEqualTo("helmet 2 of 3");
    }

    @Test
    void an_unknown_unit_is_404_problem_details() throws Exception {
        assertProblem(api.send("GET", "/api/units/nope", "admin", null), 404);
    }

    @Test
    void a_dispatcher_may_read_but_not_change_the_registry() throws Exception {
        assertThat(api.send("GET", "/api/callboxes", "disp", null).statusCode()).isEqualTo(200);
        assertProblem(api.send("POST", "/api/units", "disp", "{}"), 403);
    }

    /** Problem details with the status and a non-blank {@code title} (the {@code detail} is not checked here). */
    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        JsonNode problem = api.problemStatus(response, status);
        assertThat(problem.path("title").asText()).isNotBlank();
    }
}
