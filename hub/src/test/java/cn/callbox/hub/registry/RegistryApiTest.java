package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

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
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.system.HubProperties;

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
        Path dir = Files.createTempDirectory("registry-api-");
        registry.add("callbox.data-dir", dir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    RegistryService registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(new CookieManager()).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void seed() {
        if (!registry.townshipExists("t1")) {
            registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                    List.of(RegistryServiceTest.duty("u1", TODAY, "u1-m1", "u1-m2", "u1-m3"))));
            jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, NULL, ?)")
                    .params("disp", encoder.encode("disp-pass-123"), "dispatcher", OffsetDateTime.now()).update();
        }
    }

    @Test
    void the_api_without_credentials_answers_401_problem_details() throws Exception {
        HttpResponse<String> response = send(get("/api/callboxes"));

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
    }

    @Test
    void the_api_with_a_wrong_password_answers_401_problem_details() throws Exception {
        assertProblem(send(get("/api/callboxes").header("Authorization", basic("admin", "wrong-password"))), 401);
        assertProblem(send(get("/api/units").header("Authorization", basic("nobody", ADMIN_PASSWORD))), 401);
    }

    @Test
    void callboxes_list_every_box_with_its_live_presence() throws Exception {
        HttpResponse<String> response = send(get("/api/callboxes").header("Authorization", admin()));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode boxes = json.readTree(response.body());
        assertThat(boxes).hasSize(2);
        for (JsonNode box : boxes) {
            assertThat(fields(box)).containsExactlyInAnyOrder("endpoint", "village", "place", "lat", "lon", "online",
                    "lastSeen", "sirenSounding", "unit", "lockerReady");
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
        HttpResponse<String> list = send(get("/api/units").header("Authorization", basic("disp", "disp-pass-123")));
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode units = json.readTree(list.body());
        assertThat(units).hasSize(1);
        assertThat(units.get(0).path("id").asText()).isEqualTo("u1");
        assertThat(units.get(0).path("name").asText()).isEqualTo("一村单元");
        assertThat(units.get(0).path("village").asText()).isEqualTo("一村");

        HttpResponse<String> response = send(get("/api/units/u1").header("Authorization", admin()));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode unit = json.readTree(response.body());
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
        assertProblem(send(get("/api/units/nope").header("Authorization", admin())), 404);
    }

    @Test
    void a_dispatcher_may_read_but_not_change_the_registry() throws Exception {
        assertThat(send(get("/api/callboxes").header("Authorization", basic("disp", "disp-pass-123"))).statusCode())
                .isEqualTo(200);
        HttpRequest post = HttpRequest.newBuilder(uri("/api/units")).header("Authorization",
                basic("disp", "disp-pass-123")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertProblem(send(post), 403);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
    }

    private static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }


    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
