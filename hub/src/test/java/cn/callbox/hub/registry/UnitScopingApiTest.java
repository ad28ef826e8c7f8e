package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

import cn.callbox.hub.device.LockerReadiness;
import cn.callbox.hub.history.ReadinessHistory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.hub.testing.UnknownUnitsReadiness;
import cn.callbox.hub.testing.UnseenBoxesPresence;

/**
 * Who sees and changes which unit: the registry, roster, unit and readiness-history APIs with the hub's real HTTP
 * security, over H2 with every migration. Two units: u1 (boxes box-a, box-b) and u2 (box-c); leader-1 leads u1,
 * leader-2 u2. Today is Tuesday 2024-07-30 in the township.
 */
@SpringBootTest(classes = UnitScopingApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:unit-scoping-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + UnitScopingApiTest.ADMIN_PASSWORD })
class UnitScopingApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-scoping";
    static final Instant NOW = Instant.parse("2024-07-30T02:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2024, 7, 30);
    static final byte[] KEY = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    /**
     * Not a {@code @Configuration}: other tests' scans of this package must not pick it up; and its own scan leaves
     * out the other tests' nested slices.
     */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, RegistryService.class, ReadinessHistory.class },
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    @Import({ UnseenBoxesPresence.class, UnknownUnitsReadiness.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }

        @Bean
        LockerReadiness fakeLockers() {
            Map<String, Boolean> known = Map.of("box-a", false, "box-b", true);
            return known::get;
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "unit-scoping-api-");
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
            registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 6, true),
                    List.of(RegistryServiceTest.duty("u1", TODAY, "u1-m1", "u1-m2", "u1-m3"))));
            registry.createUnit("u2", "二村单元", "v1", 30.70, 108.30);
            for (int i = 1; i <= 5; i++) {
                jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident) VALUES (?, 'u2', ?, '民兵', TRUE)")
                        .params("u2-m" + i, "二队员" + i).update();
            }
            jdbc.sql("INSERT INTO point (id, village_id, kind, name, lat, lon, unit_id)"
                    + " VALUES ('p2', 'v1', 'grid', '二村网格', 30.70, 108.30, 'u2')").update();
            registry.registerCallBox(new TownshipSeed.CallBox("box-c", "p2", 30.70, 108.30, "id-box-c", KEY));
            new TestUsers(jdbc, encoder).add("disp", "dispatcher", null).add("police", "police", null)
                    .add("leader-1", "unit-leader", "u1").add("leader-2", "unit-leader", "u2");
        }
        jdbc.sql("DELETE FROM duty_override").update();
        jdbc.sql("DELETE FROM duty_swap").update();
    }

    // ------------------------------------------------------------------ duty roster: own unit only

    @Test
    void a_unit_leader_keeps_the_roster_of_their_own_unit() throws Exception {
        assertThat(api.ok(api.send("GET", "/api/units/u1/roster", "leader-1", null), 200).path("unit").asText())
                .isEqualTo("u1");
        assertThat(api.ok(api.send("GET", "/api/units/u1/duty?from=2024-07-30&to=2024-07-31", "leader-1", null), 200))
                .hasSize(2);
        JsonNode day = api.ok(api.send("PUT", "/api/units/u1/duty/2024-08-02", "leader-1",
                "{\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m4\",\"u1-m5\",\"u1-m6\"]}"), 200);
        assertThat(day.path("source").asText()).isEqualTo("override");
        assertThat(api.ok(api.send("POST", "/api/units/u1/swaps", "leader-1",
                "{\"date\":\"2024-07-30\",\"from\":\"u1-m2\",\"to\":\"u1-m5\"}"), 201).path("onDuty").toString())
                .contains("u1-m5");
        assertThat(api.ok(api.send("GET", "/api/units/u1/members", "leader-1", null), 200)).hasSize(6);
        assertThat(api.ok(api.send("PATCH", "/api/units/u1/members/u1-m6", "leader-1", "{\"role\":\"村医\"}"), 200)
                .path("role").asText()).isEqualTo("村医");
        assertThat(audited("duty-override", "u1")).as("roster changes are audited").isPositive();
    }

    @Test
    void a_unit_leader_gets_403_forbidden_unit_for_another_units_roster_and_nothing_changes() throws Exception {
        forbiddenUnit(api.send("GET", "/api/units/u1/roster", "leader-2", null));
        forbiddenUnit(api.send("GET", "/api/units/u1/duty", "leader-2", null));
        forbiddenUnit(api.send("PUT", "/api/units/u1/duty/2024-08-03", "leader-2",
                "{\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m4\",\"u1-m5\",\"u1-m6\"]}"));
        forbiddenUnit(api.send("DELETE", "/api/units/u1/duty/2024-08-03", "leader-2", null));
        forbiddenUnit(api.send("POST", "/api/units/u1/swaps", "leader-2",
                "{\"date\":\"2024-07-30\",\"from\":\"u1-m2\",\"to\":\"u1-m5\"}"));
        forbiddenUnit(api.send("GET", "/api/units/u1/members", "leader-2", null));
        forbiddenUnit(api.send("POST", "/api/units/u1/members", "leader-2",
                "{\"id\":\"u1-x\",\"name\":\"外人\",\"role\":\"民兵\",\"resident\":true}"));
        forbiddenUnit(api.send("PATCH", "/api/units/u1/members/u1-m6", "leader-2", "{\"role\":\"外\"}"));
        forbiddenUnit(api.send("PUT", "/api/units/u1/roster", "leader-2", "{\"pattern\":[]}"));

        assertThat(count("SELECT COUNT(*) FROM duty_override")).isZero();
        assertThat(count("SELECT COUNT(*) FROM duty_swap")).isZero();
        assertThat(count("SELECT COUNT(*) FROM member WHERE id = 'u1-x'")).isZero();
    }

    @Test
    void dispatchers_and_police_read_rosters_but_may_not_change_them() throws Exception {
        for (String user : List.of("disp", "police")) {
            assertThat(api.send("GET", "/api/units/u1/roster", user, null).statusCode()).isEqualTo(200);
            api.problem(api.send("PUT", "/api/units/u1/duty/2024-08-03", user,
                    "{\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m4\",\"u1-m5\",\"u1-m6\"]}"), 403);
            api.problem(api.send("POST", "/api/units/u1/swaps", user,
                    "{\"date\":\"2024-07-30\",\"from\":\"u1-m2\",\"to\":\"u1-m5\"}"), 403);
            api.problem(api.send("POST", "/api/units/u1/members", user,
                    "{\"id\":\"u1-y\",\"name\":\"某\",\"role\":\"民兵\",\"resident\":true}"), 403);
        }
        assertThat(count("SELECT COUNT(*) FROM duty_override")).isZero();
        assertThat(count("SELECT COUNT(*) FROM member WHERE id = 'u1-y'")).isZero();
    }

    // ------------------------------------------------------------------ reads: units, boxes, history

    @Test
    void a_unit_leader_lists_only_their_unit_and_its_boxes() throws Exception {
        assertThat(ids(api.ok(api.send("GET", "/api/units", "leader-1", null), 200), "id")).containsExactly("u1");
        assertThat(ids(api.ok(api.send("GET", "/api/units", "leader-2", null), 200), "id")).containsExactly("u2");
        assertThat(ids(api.ok(api.send("GET", "/api/units", "police", null), 200), "id")).contains("u1", "u2");

        assertThat(api.ok(api.send("GET", "/api/units/u1", "leader-1", null), 200).path("members")).hasSize(6);
        forbiddenUnit(api.send("GET", "/api/units/u1", "leader-2", null));
        assertThat(api.send("GET", "/api/units/u1", "disp", null).statusCode()).isEqualTo(200);

        assertThat(ids(api.ok(api.send("GET", "/api/callboxes", "leader-1", null), 200), "endpoint"))
                .containsExactly("box-a", "box-b");
        assertThat(ids(api.ok(api.send("GET", "/api/callboxes", "leader-2", null), 200), "endpoint"))
                .containsExactly("box-c");
        assertThat(ids(api.ok(api.send("GET", "/api/callboxes", "disp", null), 200), "endpoint"))
                .containsExactly("box-a", "box-b", "box-c");
    }

    @Test
    void callboxes_name_their_unit_and_whether_its_locker_is_ready() throws Exception {
        JsonNode boxes = api.ok(api.send("GET", "/api/callboxes", "admin", null), 200);

        assertThat(boxes.get(0).path("unit").asText()).isEqualTo("u1");
        assertThat(boxes.get(0).path("lockerReady").asBoolean(true)).isFalse();
        assertThat(boxes.get(1).path("lockerReady").asBoolean(false)).isTrue();
        assertThat(boxes.get(2).path("unit").asText()).isEqualTo("u2");
        assertThat(boxes.get(2).get("lockerReady").isNull()).as("not judged yet").isTrue();
    }

    @Test
    void readiness_history_is_for_the_own_unit_only() throws Exception {
        assertThat(api.send("GET", "/api/units/u1/readiness-history", "leader-1", null).statusCode()).isEqualTo(200);
        forbiddenUnit(api.send("GET", "/api/units/u1/readiness-history", "leader-2", null));
        assertThat(api.send("GET", "/api/units/u2/readiness-history", "police", null).statusCode()).isEqualTo(200);
        api.problem(api.send("GET", "/api/units/nope/readiness-history", "admin", null), 404);
    }

    // ------------------------------------------------------------------ units: create and change (admin)

    @Test
    void an_admin_creates_and_changes_a_unit() throws Exception {
        JsonNode created = api.ok(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u3\",\"name\":\" 集市单元 \",\"villageId\":\"v1\",\"lat\":30.71,\"lon\":108.31}"), 201);
        assertThat(created.path("id").asText()).isEqualTo("u3");
        assertThat(created.path("name").asText()).isEqualTo("集市单元");
        assertThat(created.path("village").asText()).isEqualTo("一村");
        assertThat(created.path("callboxes")).isEmpty();

        JsonNode changed = api.ok(api.send("PATCH", "/api/units/u3", "admin", "{\"name\":\"三组单元\",\"lat\":30.72}"),
                200);
        assertThat(changed.path("name").asText()).isEqualTo("三组单元");
        assertThat(changed.path("lat").asDouble()).isEqualTo(30.72);
        assertThat(changed.path("lon").asDouble()).as("unchanged").isEqualTo(108.31);
        assertThat(api.ok(api.send("GET", "/api/units/u3", "admin", null), 200).path("name").asText())
                .isEqualTo("三组单元");
        assertThat(audited("unit-create", "u3")).isEqualTo(1);
        assertThat(audited("unit-change", "u3")).isEqualTo(1);
    }

    @Test
    void only_admins_create_or_change_units() throws Exception {
        String body = "{\"id\":\"u9\",\"name\":\"九\",\"villageId\":\"v1\",\"lat\":30.71,\"lon\":108.31}";
        for (String user : List.of("disp", "police", "leader-1")) {
            api.problem(api.send("POST", "/api/units", user, body), 403);
            api.problem(api.send("PATCH", "/api/units/u1", user, "{\"name\":\"改\"}"), 403);
        }
        assertThat(api.send("POST", "/api/units", null, body).statusCode()).isIn(401, 403);
        assertThat(count("SELECT COUNT(*) FROM unit WHERE id = 'u9'")).isZero();
        assertThat(api.ok(api.send("GET", "/api/units/u1", "admin", null), 200).path("name").asText())
                .isEqualTo("一村单元");
    }

    @Test
    void bad_units_are_refused_naming_the_rule_and_change_nothing() throws Exception {
        assertThat(rule(api.send("POST", "/api/units", "admin",
                "{\"id\":\"bad id/#\",\"name\":\"x\",\"villageId\":\"v1\",\"lat\":30,\"lon\":108}")))
                .isEqualTo("valid-id");
        assertThat(rule(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u8\",\"name\":\" \",\"villageId\":\"v1\",\"lat\":30,\"lon\":108}")))
                .isEqualTo("required-field");
        assertThat(rule(api.send("POST", "/api/units", "admin", "{\"id\":\"u8\",\"name\":\"" + "长".repeat(101)
                + "\",\"villageId\":\"v1\",\"lat\":30,\"lon\":108}"))).isEqualTo("text-length");
        assertThat(rule(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u8\",\"name\":\"x\",\"villageId\":\"nowhere\",\"lat\":30,\"lon\":108}")))
                .isEqualTo("known-reference");
        assertThat(rule(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u8\",\"name\":\"x\",\"villageId\":\"v1\",\"lat\":91,\"lon\":108}")))
                .isEqualTo("coordinates");
        assertThat(rule(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u8\",\"name\":\"x\",\"villageId\":\"v1\"}"))).isEqualTo("required-field");
        assertThat(api.problem(api.send("POST", "/api/units", "admin",
                "{\"id\":\"u1\",\"name\":\"x\",\"villageId\":\"v1\",\"lat\":30,\"lon\":108}"), 409).path("type")
                .asText()).isEqualTo("urn:callbox:problem:unit-taken");
        api.problem(api.send("POST", "/api/units", "admin", "{not json"), 400);
        assertThat(rule(api.send("PATCH", "/api/units/u1", "admin", "{\"lon\":181}"))).isEqualTo("coordinates");
        api.problem(api.send("PATCH", "/api/units/u1", "admin", "{}"), 400);
        api.problem(api.send("PATCH", "/api/units/nope", "admin", "{\"name\":\"x\"}"), 404);

        assertThat(count("SELECT COUNT(*) FROM unit WHERE id = 'u8'")).isZero();
        JsonNode u1 = api.ok(api.send("GET", "/api/units/u1", "admin", null), 200);
        assertThat(u1.path("name").asText()).isEqualTo("一村单元");
        assertThat(u1.path("lon").asDouble()).isEqualTo(108.41);
    }

    // ------------------------------------------------------------------ helpers

    private String rule(HttpResponse<String> response) throws Exception {
        JsonNode problem = api.problem(response, 422);
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:roster-rule");
        return problem.path("rule").asText();
    }

    private void forbiddenUnit(HttpResponse<String> response) throws Exception {
        assertThat(api.problem(response, 403).path("type").asText()).isEqualTo("urn:callbox:problem:forbidden-unit");
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private long audited(String action, String target) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ? AND target = ?").params(action, target)
                .query(Long.class).single();
    }

    private static List<String> ids(JsonNode list, String field) {
        List<String> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.path(field).asText()));
        return ids;
    }
}
