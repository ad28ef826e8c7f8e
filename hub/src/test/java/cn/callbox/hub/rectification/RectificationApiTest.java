package cn.callbox.hub.rectification;

import static cn.callbox.hub.testing.HubApi.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
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

import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestUsers;

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
        TestDataDir.register(registry, "rectification-api-");
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

    private final ObjectMapper json = new ObjectMapper();
    private HubApi api;

    @BeforeEach
    void users() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            RectificationServiceTest.units(jdbc);
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-a", "unit-leader", "unit-a");
            users.add("leader-b", "unit-leader", "unit-b");
        }
    }

    @Test
    void list_and_one_show_the_contract_fields() throws Exception {
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "应急装备不足：helmet");

        HttpResponse<String> list = api.send("GET", "/api/rectifications", "police", null);
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

        HttpResponse<String> one = api.send("GET", "/api/rectifications/" + id, "disp", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json.readTree(one.body()).path("subject").asText()).isEqualTo("helmet");
        api.problem(api.send("GET", "/api/rectifications/rt-missing", "admin", null), 404);
        api.problem(api.send("GET", "/api/rectifications", null, null), 401);
    }

    @Test
    void the_units_leader_rectifies_staff_verify_and_reopen() throws Exception {
        String id = service.open("unit-a", Reason.UNPLANNED_ACCESS, "box-1", "d");

        api.problem(api.send("POST", "/api/rectifications/" + id + "/rectify", "leader-b", "{\"note\":\"x\"}"), 403);
        api.problem(api.send("POST", "/api/rectifications/" + id + "/rectify", "disp", "{\"note\":\"x\"}"), 403);
        api.problem(api.send("POST", "/api/rectifications/" + id + "/rectify", "leader-a", "{\"note\":\" \"}"), 400);
        api.problem(api.send("POST", "/api/rectifications/" + id + "/rectify", "leader-a", "{not json"), 400);
        api.problem(api.send("POST", "/api/rectifications/" + id + "/verify", "disp", null), 409);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);

        HttpResponse<String> rectified = api.send("POST", "/api/rectifications/" + id + "/rectify", "leader-a",
                "{\"note\":\"已上锁\",\"evidence\":\"photo-1.jpg\"}");
        assertThat(rectified.statusCode()).isEqualTo(200);
        assertThat(json.readTree(rectified.body()).path("state").asText()).isEqualTo("rectified");
        assertThat(json.readTree(rectified.body()).path("evidence").asText()).isEqualTo("photo-1.jpg");

        api.problem(api.send("POST", "/api/rectifications/" + id + "/verify", "leader-a", null), 403);
        HttpResponse<String> verified = api.send("POST", "/api/rectifications/" + id + "/verify", "disp", null);
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(json.readTree(verified.body()).path("state").asText()).isEqualTo("closed");

        HttpResponse<String> reopened = api.send("POST", "/api/rectifications/" + id + "/reopen", "admin",
                "{\"note\":\"锁仍损坏\"}");
        assertThat(reopened.statusCode()).isEqualTo(200);
        assertThat(json.readTree(reopened.body()).path("state").asText()).isEqualTo("notified");
        api.problem(api.send("POST", "/api/rectifications/" + id + "/reopen", "disp", null), 409);
        api.problem(api.send("POST", "/api/rectifications/rt-missing/verify", "disp", null), 404);
        assertThat(published.messages).isNotEmpty();
    }

    @Test
    void a_unit_leader_sees_only_the_tasks_of_their_own_unit() throws Exception {
        String mine = service.open("unit-a", Reason.KIT_MISSING, "shield", "应急装备不足：shield");
        String theirs = service.open("unit-b", Reason.KIT_MISSING, "fork", "应急装备不足：fork");

        JsonNode own = json.readTree(api.send("GET", "/api/rectifications", "leader-a", null).body());
        Set<String> ids = new TreeSet<>();
        Set<String> units = new TreeSet<>();
        own.forEach(t -> {
            ids.add(t.path("id").asText());
            units.add(t.path("unit").asText());
        });
        assertThat(ids).contains(mine).doesNotContain(theirs);
        assertThat(units).containsExactly("unit-a");
        assertThat(api.send("GET", "/api/rectifications/" + mine, "leader-a", null).statusCode()).isEqualTo(200);
        HttpResponse<String> other = api.send("GET", "/api/rectifications/" + theirs, "leader-a", null);
        api.problem(other, 403);
        assertThat(json.readTree(other.body()).path("type").asText()).isEqualTo("urn:callbox:problem:forbidden-unit");

        Set<String> all = new TreeSet<>();
        json.readTree(api.send("GET", "/api/rectifications", "police", null).body())
                .forEach(t -> all.add(t.path("id").asText()));
        assertThat(all).contains(mine, theirs);
    }
}
