package cn.callbox.hub.rectification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
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

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;

/**
 * The rectification REST API with the hub's real HTTP security, served on a random port over H2 with every
 * migration; the registry is a fake directory and MQTT a recording publisher.
 */
@SpringBootTest(classes = RectificationApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:rectification-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + RectificationApiTest.ADMIN_PASSWORD })
class RectificationApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, RectificationService.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(RectificationServiceTest.T0);
        }

        @Bean
        TownshipDirectory fakeDirectory() {
            return new RectificationServiceTest.Directory();
        }

        @Bean
        RectificationServiceTest.Published fakePublisher() {
            return new RectificationServiceTest.Published();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("rectification-api-");
        registry.add("callbox.data-dir", dir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    RectificationService service;

    @Autowired
    RectificationServiceTest.Published published;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void users() {
        if (jdbc.sql("SELECT COUNT(*) FROM users WHERE username = 'disp'").query(Integer.class).single() == 0) {
            RectificationServiceTest.units(jdbc);
            user("disp", "dispatcher", null);
            user("police", "police", null);
            user("leader-a", "unit-leader", "unit-a");
            user("leader-b", "unit-leader", "unit-b");
        }
    }

    void user(String name, String role, String unit) {
        jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(name, encoder.encode(name + "-pass"), role, unit, OffsetDateTime.now()).update();
    }

    @Test
    void list_and_one_show_the_contract_fields() throws Exception {
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "应急装备不足：helmet");

        HttpResponse<String> list = send("GET", "/api/rectifications", "police", null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode tasks = json.readTree(list.body());
        JsonNode task = null;
        for (JsonNode t : tasks) {
            if (t.path("id").asText().equals(id)) {
                task = t;
            }
        }
        assertThat(task).isNotNull();
        assertThat(fields(task)).contains("id", "unit", "reason", "state", "openedAt", "dueAt", "log", "subject",
                "assignee", "detail");
        assertThat(task.path("unit").asText()).isEqualTo("unit-a");
        assertThat(task.path("reason").asText()).isEqualTo("kit-missing");
        assertThat(task.path("state").asText()).isEqualTo("notified");
        assertThat(task.path("openedAt").asText()).isEqualTo("2026-11-30T02:00:00Z");
        assertThat(task.path("dueAt").asText()).isEqualTo("2026-12-01T02:00:00Z");
        assertThat(task.path("assignee").asText()).isEqualTo("unit-a-m1");
        assertThat(task.path("log")).hasSize(2);

        HttpResponse<String> one = send("GET", "/api/rectifications/" + id, "disp", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json.readTree(one.body()).path("subject").asText()).isEqualTo("helmet");
        assertProblem(send("GET", "/api/rectifications/rt-missing", "admin", null), 404);
        assertProblem(send("GET", "/api/rectifications", null, null), 401);
    }

    @Test
    void the_units_leader_rectifies_staff_verify_and_reopen() throws Exception {
        String id = service.open("unit-a", Reason.UNPLANNED_ACCESS, "box-1", "d");

        assertProblem(send("POST", "/api/rectifications/" + id + "/rectify", "leader-b", "{\"note\":\"x\"}"), 403);
        assertProblem(send("POST", "/api/rectifications/" + id + "/rectify", "disp", "{\"note\":\"x\"}"), 403);
        assertProblem(send("POST", "/api/rectifications/" + id + "/rectify", "leader-a", "{\"note\":\" \"}"), 400);
        assertProblem(send("POST", "/api/rectifications/" + id + "/rectify", "leader-a", "{not json"), 400);
        assertProblem(send("POST", "/api/rectifications/" + id + "/verify", "disp", null), 409);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);

        HttpResponse<String> rectified = send("POST", "/api/rectifications/" + id + "/rectify", "leader-a",
                "{\"note\":\"已上锁\",\"evidence\":\"photo-1.jpg\"}");
        assertThat(rectified.statusCode()).isEqualTo(200);
        assertThat(json.readTree(rectified.body()).path("state").asText()).isEqualTo("rectified");
        assertThat(json.readTree(rectified.body()).path("evidence").asText()).isEqualTo("photo-1.jpg");

        assertProblem(send("POST", "/api/rectifications/" + id + "/verify", "leader-a", null), 403);
        HttpResponse<String> verified = send("POST", "/api/rectifications/" + id + "/verify", "disp", null);
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(json.readTree(verified.body()).path("state").asText()).isEqualTo("closed");

        HttpResponse<String> reopened = send("POST", "/api/rectifications/" + id + "/reopen", "admin",
                "{\"note\":\"锁仍损坏\"}");
        assertThat(reopened.statusCode()).isEqualTo(200);
        assertThat(json.readTree(reopened.body()).path("state").asText()).isEqualTo("notified");
        assertProblem(send("POST", "/api/rectifications/" + id + "/reopen", "disp", null), 409);
        assertProblem(send("POST", "/api/rectifications/rt-missing/verify", "disp", null), 404);
        assertThat(published.messages).isNotEmpty();
    }

    @Test
    void a_unit_leader_sees_only_the_tasks_of_their_own_unit() throws Exception {
        String mine = service.open("unit-a", Reason.KIT_MISSING, "shield", "应急装备不足：shield");
        String theirs = service.open("unit-b", Reason.KIT_MISSING, "fork", "应急装备不足：fork");

        JsonNode own = json.readTree(send("GET", "/api/rectifications", "leader-a", null).body());
        Set<String> ids = new TreeSet<>();
        Set<String> units = new TreeSet<>();
        own.forEach(t -> {
            ids.add(t.path("id").asText());
            units.add(t.path("unit").asText());
        });
        assertThat(ids).contains(mine).doesNotContain(theirs);
        assertThat(units).containsExactly("unit-a");
        assertThat(send("GET", "/api/rectifications/" + mine, "leader-a", null).statusCode()).isEqualTo(200);
        HttpResponse<String> other = send("GET", "/api/rectifications/" + theirs, "leader-a", null);
        assertProblem(other, 403);
        assertThat(json.readTree(other.body()).path("type").asText()).isEqualTo("urn:callbox:problem:forbidden-unit");

        Set<String> all = new TreeSet<>();
        json.readTree(send("GET", "/api/rectifications", "police", null).body())
                .forEach(t -> all.add(t.path("id").asText()));
        assertThat(all).contains(mine, theirs);
    }

    HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            String password = user.equals("admin") ? ADMIN_PASSWORD : user + "-pass";
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
