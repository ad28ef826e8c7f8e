package cn.callbox.hub.announcement;

import static org.assertj.core.api.Assertions.assertThat;

import static cn.callbox.hub.testing.HubApi.fields;
import static cn.callbox.hub.testing.HubApi.ids;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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

import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * The announcement REST API with the hub's real HTTP security, on a random port over H2 with every migration; the
 * registry and the loudspeakers are fakes.
 */
@SpringBootTest(classes = AnnouncementApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:announcement-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + AnnouncementApiTest.ADMIN_PASSWORD })
class AnnouncementApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, AnnouncementService.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(ScheduleServiceTest.T0);
        }

        @Bean
        Fixtures.Directory fakeDirectory() {
            return new Fixtures.Directory();
        }

        @Bean
        Fixtures.Speakers fakeSpeakers() {
            return new Fixtures.Speakers();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "announcement-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    Fixtures.Speakers speakers;

    @Autowired
    AuditTrail audit;

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
            new TestTownship(jdbc).township("t1", "镇", "区").village("houshan", "t1", "后山社区")
                    .units("houshan", 30.8, 108.4, List.of("u-market", "u-tianxing"));
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-market", "unit-leader", "u-market");
            users.add("leader-tianxing", "unit-leader", "u-tianxing");
        }
        speakers.offline.clear();
    }

    @Test
    void a_broadcast_returns_each_boxs_result_and_is_listed_and_audited() throws Exception {
        speakers.offline.add("houshan-02");
        int before = speakers.calls.size();

        HttpResponse<String> sent = api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"今晚有大风，请收好晾晒的衣物。\",\"villages\":[\"houshan\"],\"repeat\":2}");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonNode a = json.readTree(sent.body());
        assertThat(fields(a)).contains("id", "text", "clip", "requestedBy", "at", "results");
        assertThat(a.path("text").asText()).isEqualTo("今晚有大风，请收好晾晒的衣物。");
        assertThat(a.path("clip").isNull()).isTrue();
        assertThat(a.path("requestedBy").asText()).isEqualTo("disp");
        assertThat(a.path("at").asText()).isEqualTo("2026-12-03T00:30:00Z");
        List<String> results = new ArrayList<>();
        for (JsonNode r : a.path("results")) {
            assertThat(fields(r)).containsExactly("detail", "endpoint", "ok");
            results.add(r.path("endpoint").asText() + " " + r.path("ok").asBoolean() + " " + r.path("detail").asText());
        }
        assertThat(results).containsExactly("houshan-01 true announced", "houshan-02 false offline",
                "market-01 true announced");
        assertThat(speakers.calls.subList(before, speakers.calls.size())).hasSize(3)
                .allSatisfy(c -> assertThat(c.speech().repeat()).isEqualTo(2));

        HttpResponse<String> list = api.send("GET", "/api/announcements", "police", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(ids(json.readTree(list.body()))).contains(a.path("id").asText());
        assertThat(audit.latest(50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("announce");
            assertThat(e.actor()).isEqualTo("disp");
            assertThat(e.target()).isEqualTo("houshan-01,houshan-02,market-01");
        });

        // a unit leader sees the broadcasts that reached their unit's boxes only
        HttpResponse<String> tianxing = api.send("POST", "/api/announcements", "admin",
                "{\"clip\":\"test\",\"callboxes\":[\"tianxing-01\"]}");
        assertThat(tianxing.statusCode()).isEqualTo(200);
        String tianxingId = json.readTree(tianxing.body()).path("id").asText();
        List<String> marketSees = ids(json.readTree(
                api.send("GET", "/api/announcements", "leader-market", null).body()));
        assertThat(marketSees).contains(a.path("id").asText()).doesNotContain(tianxingId);
        List<String> tianxingSees = ids(json.readTree(
                api.send("GET", "/api/announcements", "leader-tianxing", null).body()));
        assertThat(tianxingSees).contains(tianxingId).doesNotContain(a.path("id").asText());
    }

    @Test
    void only_admin_and_dispatcher_may_broadcast() throws Exception {
        String body = "{\"text\":\"测试\",\"callboxes\":[\"market-01\"]}";
        int before = speakers.calls.size();
        api.problem(api.send("POST", "/api/announcements", "police", body), 403);
        api.problem(api.send("POST", "/api/announcements", "leader-market", body), 403);
        // without credentials: refused (the CSRF check comes first for a change without an Authorization header)
        assertThat(api.send("POST", "/api/announcements", null, body).statusCode()).isIn(401, 403);
        api.problem(api.send("GET", "/api/announcements", null, null), 401);
        assertThat(speakers.calls).hasSize(before);
        assertThat(api.send("POST", "/api/announcements", "admin", body).statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/announcements", "disp", body).statusCode()).isEqualTo(200);
        assertThat(speakers.calls).hasSize(before + 2);
        assertThat(api.send("GET", "/api/announcements/clips", "police", null).body())
                .isEqualTo("[\"assemble\",\"calling\",\"received\",\"test\"]");
    }

    @Test
    void invalid_bodies_are_problems_and_send_nothing() throws Exception {
        int before = speakers.calls.size();
        long stored = jdbc.sql("SELECT COUNT(*) FROM announcement").query(Long.class).single();

        api.problem(api.send("POST", "/api/announcements", "disp", "{not json"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp", "{\"text\":\"x\",\"repeat\":\"many\"}"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp", "{\"text\":\"x\"}"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"x\",\"clip\":\"test\",\"callboxes\":[\"market-01\"]}"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"callboxes\":[\"market-01\"]}"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"" + "长".repeat(201) + "\",\"callboxes\":[\"market-01\"]}"), 400);
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"x\",\"callboxes\":[\"market-01\"],\"repeat\":11}"), 400);
        JsonNode unknown = api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"x\",\"callboxes\":[\"market-01\",\"ghost-01\"],\"units\":[\"u-ghost\"]}"), 422);
        assertThat(unknown.path("type").asText()).isEqualTo("urn:callbox:problem:unknown-targets");
        assertThat(unknown.path("detail").asText()).contains("ghost-01", "u-ghost");
        assertThat(unknown.path("unknown").toString()).isEqualTo("[\"callbox ghost-01\",\"unit u-ghost\"]");
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"clip\":\"fanfare\",\"callboxes\":[\"market-01\"]}"), 422);
        api.problem(api.send("POST", "/api/announcements", "disp",
                "{\"text\":\"x\",\"units\":[\"u-empty\"]}"), 422);

        assertThat(speakers.calls).hasSize(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM announcement").query(Long.class).single()).isEqualTo(stored);
    }

    @Test
    void schedules_are_created_read_changed_and_deleted_by_the_command_centre() throws Exception {
        String body = "{\"name\":\"反诈预警\",\"text\":\"谨防电信诈骗。\",\"units\":[\"u-market\"],"
                + "\"daysOfMonth\":[3,6,9,13,16,19,23,26,29],\"time\":\"09:00\"}";
        api.problem(api.send("POST", "/api/announcement-schedules", "police", body), 403);
        api.problem(api.send("POST", "/api/announcement-schedules", "leader-market", body), 403);

        HttpResponse<String> created = api.send("POST", "/api/announcement-schedules", "disp", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = json.readTree(created.body());
        String id = s.path("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/announcement-schedules/" + id);
        assertThat(fields(s)).contains("id", "name", "text", "clip", "callboxes", "villages", "units", "daysOfWeek",
                "daysOfMonth", "time", "enabled", "lastRunAt", "nextRunAt");
        assertThat(s.path("daysOfWeek").size()).isZero();
        assertThat(s.path("daysOfMonth").toString()).isEqualTo("[3,6,9,13,16,19,23,26,29]");
        assertThat(s.path("time").asText()).isEqualTo("09:00");
        assertThat(s.path("enabled").asBoolean()).isTrue();
        assertThat(s.path("lastRunAt").isNull()).isTrue();
        assertThat(s.path("nextRunAt").asText()).isEqualTo("2026-12-03T01:00:00Z");

        assertThat(ids(json.readTree(api.send("GET", "/api/announcement-schedules", "police", null).body())))
                .contains(id);
        assertThat(ids(json.readTree(api.send("GET", "/api/announcement-schedules", "leader-market", null).body())))
                .contains(id);
        assertThat(ids(json.readTree(api.send("GET", "/api/announcement-schedules", "leader-tianxing", null).body())))
                .doesNotContain(id);
        assertThat(api.send("GET", "/api/announcement-schedules/" + id, "leader-market", null).statusCode())
                .isEqualTo(200);
        api.problem(api.send("GET", "/api/announcement-schedules/" + id, "leader-tianxing", null), 403);

        String changed = body.replace("\"time\":\"09:00\"", "\"time\":\"10:30\",\"enabled\":false");
        api.problem(api.send("PUT", "/api/announcement-schedules/" + id, "police", changed), 403);
        HttpResponse<String> updated = api.send("PUT", "/api/announcement-schedules/" + id, "admin", changed);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json.readTree(updated.body()).path("time").asText()).isEqualTo("10:30");
        assertThat(json.readTree(updated.body()).path("enabled").asBoolean()).isFalse();
        assertThat(json.readTree(updated.body()).path("nextRunAt").isNull()).isTrue();

        api.problem(api.send("PUT", "/api/announcement-schedules/" + id, "admin",
                body.replace("\"daysOfMonth\":[3,6,9,13,16,19,23,26,29],", "")), 400);
        api.problem(api.send("PUT", "/api/announcement-schedules/" + id, "admin",
                body.replace("u-market", "u-ghost")), 422);
        api.problem(api.send("PUT", "/api/announcement-schedules/as-none", "admin", body), 404);
        api.problem(api.send("POST", "/api/announcement-schedules", "admin", "[]"), 400);
        assertThat(json.readTree(api.send("GET", "/api/announcement-schedules/" + id, "admin", null).body())
                .path("time").asText()).isEqualTo("10:30");

        api.problem(api.send("DELETE", "/api/announcement-schedules/" + id, "leader-market", null), 403);
        assertThat(api.send("DELETE", "/api/announcement-schedules/" + id, "disp", null).statusCode()).isEqualTo(204);
        api.problem(api.send("GET", "/api/announcement-schedules/" + id, "admin", null), 404);
        api.problem(api.send("DELETE", "/api/announcement-schedules/" + id, "disp", null), 404);
        assertThat(audit.latest(50)).extracting(e -> e.action()).contains("announcement-schedule-create",
                "announcement-schedule-update", "announcement-schedule-delete");
    }
}
