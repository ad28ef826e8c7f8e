package cn.callbox.hub.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.hub.registry.RegistryService;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.hub.testing.UnknownUnitsReadiness;
import cn.callbox.hub.testing.UnseenBoxesPresence;

/**
 * Training records, quarterly coverage and commendations over HTTP with the hub's real security and every migration.
 * Units u1 and u2 (5 members each, u1-m1.., u2-m1..), leader-1 leads u1, leader-2 u2. Today is 2026-05-15 (Q2).
 */
@SpringBootTest(classes = TrainingApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:training-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + TrainingApiTest.ADMIN_PASSWORD })
class TrainingApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-training";
    static final Instant NOW = Instant.parse("2026-05-15T02:00:00Z");

    /** Not a {@code @Configuration}, and its scan leaves out the other tests' nested slices. */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, RegistryService.class, TrainingService.class },
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    @Import({ UnseenBoxesPresence.class, UnknownUnitsReadiness.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(NOW);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "training-api-");
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
        TestTownship township = new TestTownship(jdbc);
        if (township.isEmpty()) {
            township.township("t1", "一镇", "某区").village("v1", "t1", "一村");
            registry.createUnit("u1", "一村单元", "v1", 30.70, 108.40);
            registry.createUnit("u2", "二村单元", "v1", 30.71, 108.41);
            for (String unit : List.of("u1", "u2")) {
                for (int i = 1; i <= 5; i++) {
                    jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident) VALUES (?, ?, ?, '民兵', TRUE)")
                            .params(unit + "-m" + i, unit, "队员" + i).update();
                }
            }
            jdbc.sql("INSERT INTO incident (id, kind, state, callbox, alarm_sequence, place, village, lat, lon,"
                    + " raised_at, recorded_at, escalated, needs_police, needs_ambulance)"
                    + " VALUES ('inc-1', 'panic', 'closed', 'box-a', 1, '集市', '一村', 30.7, 108.4, ?, ?, FALSE, FALSE,"
                    + " FALSE)").params(OffsetDateTime.now(), OffsetDateTime.now()).update();
            TestUsers users = new TestUsers(jdbc, encoder);
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-1", "unit-leader", "u1");
            users.add("leader-2", "unit-leader", "u2");
        }
    }

    @Test
    void a_leader_records_their_units_trainings_and_everyone_reads_them() throws Exception {
        JsonNode added = api.ok(api.send("POST", "/api/units/u1/trainings", "leader-1", "{\"date\":\"2026-01-20\","
                + "\"kind\":\"online\",\"topic\":\" 反诈预警劝阻（微信服务号） \",\"attendees\":[\"u1-m3\",\"u1-m1\"]}"), 201);
        assertThat(added.path("id").asLong()).isPositive();
        assertThat(added.path("unit").asText()).isEqualTo("u1");
        assertThat(added.path("date").asText()).isEqualTo("2026-01-20");
        assertThat(added.path("kind").asText()).isEqualTo("online");
        assertThat(added.path("topic").asText()).isEqualTo("反诈预警劝阻（微信服务号）");
        assertThat(added.path("attendees").toString()).isEqualTo("[\"u1-m1\",\"u1-m3\"]");
        assertThat(added.path("recordedBy").asText()).isEqualTo("leader-1");
        assertThat(added.path("recordedAt").asText()).isEqualTo("2026-05-15T02:00:00Z");
        api.ok(api.send("POST", "/api/units/u1/trainings", "admin", "{\"date\":\"2026-05-15\",\"kind\":\"offline\","
                + "\"topic\":\"拉动演练\",\"attendees\":[\"u1-m2\"]}"), 201);

        JsonNode list = api.ok(api.send("GET", "/api/units/u1/trainings?year=2026", "police", null), 200);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("date").asText()).as("newest first").isEqualTo("2026-05-15");
        assertThat(api.ok(api.send("GET", "/api/units/u1/trainings", "leader-1", null), 200)).hasSize(2);
        assertThat(api.ok(api.send("GET", "/api/units/u1/trainings?year=2025", "disp", null), 200)).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'training-add' AND target = 'u1'")
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void another_units_leader_dispatchers_and_police_may_not_record_trainings() throws Exception {
        String body = "{\"date\":\"2026-02-01\",\"kind\":\"offline\",\"topic\":\"x\",\"attendees\":[\"u2-m1\"]}";
        assertThat(api.problem(api.send("POST", "/api/units/u2/trainings", "leader-1", body), 403).path("type")
                .asText()).isEqualTo("urn:callbox:problem:forbidden-unit");
        api.problem(api.send("POST", "/api/units/u2/trainings", "disp", body), 403);
        api.problem(api.send("POST", "/api/units/u2/trainings", "police", body), 403);
        api.problem(api.send("GET", "/api/units/u2/trainings", "leader-1", null), 403);
        assertThat(api.ok(api.send("GET", "/api/units/u2/trainings", "leader-2", null), 200)).isEmpty();
    }

    @Test
    void bad_trainings_are_refused_naming_the_rule_and_nothing_is_recorded() throws Exception {
        assertThat(rule(training("u2", "2026-02-01", "classroom", "x", "[\"u2-m1\"]"))).isEqualTo("kind");
        assertThat(rule(training("u2", "2026-05-16", "online", "x", "[\"u2-m1\"]"))).as("tomorrow")
                .isEqualTo("date");
        assertThat(rule(training("u2", "1 May", "online", "x", "[\"u2-m1\"]"))).isEqualTo("date");
        assertThat(rule(training("u2", "2026-02-01", "online", " ", "[\"u2-m1\"]"))).isEqualTo("topic");
        assertThat(rule(training("u2", "2026-02-01", "online", "长".repeat(201), "[\"u2-m1\"]"))).isEqualTo("topic");
        assertThat(rule(training("u2", "2026-02-01", "online", "x", "[]"))).isEqualTo("attendees");
        assertThat(rule(training("u2", "2026-02-01", "online", "x", "[\"u2-m1\",\"u2-m1\"]")))
                .isEqualTo("attendees");
        assertThat(rule(training("u2", "2026-02-01", "online", "x", "[\"u1-m1\"]"))).isEqualTo("attendee-member");
        api.problem(api.send("POST", "/api/units/u2/trainings", "admin", "{not json"), 400);
        api.problem(training("nope", "2026-02-01", "online", "x", "[\"u2-m1\"]"), 404);
        api.problem(api.send("GET", "/api/units/u2/trainings?year=soon", "admin", null), 400);

        assertThat(api.ok(api.send("GET", "/api/units/u2/trainings", "admin", null), 200)).isEmpty();
    }

    @Test
    void coverage_shows_each_quarter_and_the_gaps_and_a_leader_sees_their_own_unit() throws Exception {
        jdbc.sql("DELETE FROM training_attendee").update();
        jdbc.sql("DELETE FROM training").update();
        api.ok(training("u1", "2026-02-10", "online", "线上学习", "[\"u1-m1\"]"), 201);
        api.ok(training("u1", "2026-03-20", "offline", "集中演练", "[\"u1-m1\",\"u1-m2\"]"), 201);
        api.ok(training("u2", "2026-03-01", "offline", "实地检查", "[\"u2-m1\"]"), 201);
        api.ok(training("u2", "2026-04-02", "online", "线上学习", "[\"u2-m1\"]"), 201);

        JsonNode coverage = api.ok(api.send("GET", "/api/trainings/coverage?year=2026", "disp", null), 200);
        assertThat(coverage.path("year").asInt()).isEqualTo(2026);
        assertThat(coverage.path("today").asText()).isEqualTo("2026-05-15");
        JsonNode u1 = coverage.path("units").get(0);
        assertThat(u1.path("unit").asText()).isEqualTo("u1");
        assertThat(u1.path("name").asText()).isEqualTo("一村单元");
        assertThat(u1.path("quarters")).hasSize(4);
        JsonNode q1 = u1.path("quarters").get(0);
        assertThat(q1.path("quarter").asInt()).isEqualTo(1);
        assertThat(q1.path("from").asText()).isEqualTo("2026-01-01");
        assertThat(q1.path("to").asText()).isEqualTo("2026-03-31");
        assertThat(q1.path("online").asBoolean()).as(coverage.toString()).isTrue();
        assertThat(q1.path("offline").asBoolean()).isTrue();
        assertThat(q1.path("state").asText()).isEqualTo("done");
        assertThat(u1.path("quarters").get(1).path("state").asText()).isEqualTo("due");
        assertThat(u1.path("quarters").get(2).path("state").asText()).isEqualTo("future");
        assertThat(u1.path("gaps")).isEmpty();
        JsonNode u2 = coverage.path("units").get(1);
        assertThat(u2.path("quarters").get(0).path("state").asText()).isEqualTo("gap");
        assertThat(u2.path("gaps").toString()).isEqualTo("[{\"quarter\":1,\"kind\":\"online\"}]");

        JsonNode own = api.ok(api.send("GET", "/api/trainings/coverage?year=2026", "leader-2", null), 200);
        assertThat(own.path("units")).hasSize(1);
        assertThat(own.path("units").get(0).path("unit").asText()).isEqualTo("u2");
        assertThat(api.ok(api.send("GET", "/api/trainings/coverage", "police", null), 200).path("year").asInt())
                .as("this year by default").isEqualTo(2026);
        api.problem(api.send("GET", "/api/trainings/coverage?year=99", "admin", null), 400);
    }

    @Test
    void admins_commend_members_and_leaders_read_their_own_units_commendations() throws Exception {
        JsonNode added = api.ok(api.send("POST", "/api/commendations", "admin",
                "{\"memberId\":\"u1-m2\",\"date\":\"2026-05-10\","
                        + "\"reason\":\"第一时间赶到现场疏散群众\",\"incidentId\":\"inc-1\"}"), 201);
        assertThat(added.path("memberId").asText()).isEqualTo("u1-m2");
        assertThat(added.path("memberName").asText()).isEqualTo("队员2");
        assertThat(added.path("unit").asText()).isEqualTo("u1");
        assertThat(added.path("incidentId").asText()).isEqualTo("inc-1");
        assertThat(added.path("recordedBy").asText()).isEqualTo("admin");
        JsonNode other = api.ok(api.send("POST", "/api/commendations", "admin",
                "{\"memberId\":\"u2-m1\",\"date\":\"2026-05-01\",\"reason\":\"巡逻劝阻电诈\"}"), 201);
        assertThat(other.get("incidentId").isNull()).isTrue();

        assertThat(ids(api.ok(api.send("GET", "/api/commendations", "disp", null), 200))).contains("u1-m2", "u2-m1");
        assertThat(ids(api.ok(api.send("GET", "/api/commendations", "leader-1", null), 200))).containsOnly("u1-m2");
        assertThat(ids(api.ok(api.send("GET", "/api/commendations?unit=u2", "police", null), 200)))
                .containsOnly("u2-m1");
        api.problem(api.send("GET", "/api/commendations?unit=u2", "leader-1", null), 403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'commendation-add'").query(Long.class)
                .single()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void only_admins_commend_and_bad_commendations_name_the_rule() throws Exception {
        String body = "{\"memberId\":\"u1-m3\",\"date\":\"2026-05-10\",\"reason\":\"x\"}";
        for (String user : List.of("disp", "police", "leader-1")) {
            api.problem(api.send("POST", "/api/commendations", user, body), 403);
        }
        assertThat(rule(commend("{\"memberId\":\"nobody\",\"date\":\"2026-05-10\",\"reason\":\"x\"}")))
                .isEqualTo("known-member");
        assertThat(rule(commend("{\"memberId\":\"u1-m3\",\"date\":\"2026-06-10\",\"reason\":\"x\"}")))
                .isEqualTo("date");
        assertThat(rule(commend("{\"memberId\":\"u1-m3\",\"date\":\"2026-05-10\",\"reason\":\"\"}")))
                .isEqualTo("reason");
        assertThat(rule(commend("{\"memberId\":\"u1-m3\",\"date\":\"2026-05-10\",\"reason\":\"x\","
                + "\"incidentId\":\"inc-404\"}"))).isEqualTo("known-incident");
        api.problem(commend("[1,2]"), 400);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM commendation WHERE member_id IN ('u1-m3', 'nobody')")
                .query(Long.class).single()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> training(String unit, String date, String kind, String topic, String attendees)
            throws Exception {
        return api.send("POST", "/api/units/" + unit + "/trainings", "admin", "{\"date\":\"" + date + "\",\"kind\":\""
                + kind + "\",\"topic\":\"" + topic + "\",\"attendees\":" + attendees + "}");
    }

    private HttpResponse<String> commend(String body) throws Exception {
        return api.send("POST", "/api/commendations", "admin", body);
    }

    private String rule(HttpResponse<String> response) throws Exception {
        JsonNode problem = api.problem(response, 422);
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:training-rule");
        return problem.path("rule").asText();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.path("memberId").asText()));
        return ids;
    }
}
