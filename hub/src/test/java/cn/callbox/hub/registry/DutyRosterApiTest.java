package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestUsers;

/**
 * The roster REST API served for real on a random port over an in-memory registry (the seed restored before each
 * test), in {@link RegistryApiTest}'s slice plus a recording {@link DutyListener} bean. Today is Tuesday 2024-07-30 in the township.
 */
@SpringBootTest(classes = RegistryApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:roster-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + DutyRosterApiTest.ADMIN_PASSWORD })
@Import(DutyRosterApiTest.RecordingListener.class)
class DutyRosterApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-roster-tests";
    static final LocalDate TODAY = LocalDate.of(2024, 7, 30);
    static final String WEEK = "{\"pattern\":["
            + "{\"day\":\"monday\",\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]},"
            + "{\"day\":\"tuesday\",\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m1\",\"u1-m2\",\"u1-m3\"]},"
            + "{\"day\":\"wednesday\",\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]},"
            + "{\"day\":\"thursday\",\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]},"
            + "{\"day\":\"friday\",\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]},"
            + "{\"day\":\"saturday\",\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m5\",\"u1-m6\"]},"
            + "{\"day\":\"Sunday\",\"leader\":\"u1-m4\",\"onDuty\":[\"u1-m5\",\"u1-m6\"]}]}";

    static final List<String> TOLD = new CopyOnWriteArrayList<>();

    /**
     * Tells {@link #TOLD} of every change. Imported, not scanned: a nested configuration in this package would be
     * picked up by every other test's component scan.
     */
    static class RecordingListener implements DutyListener {
        @Override
        public void dutyChanged(String unitId, LocalDate day) {
            TOLD.add(unitId + "@" + day);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "roster-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    RegistryService registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    /** The admin's requests all declare JSON, with or without a body; the dispatcher's only with one. */
    private HubApi api;
    private HubApi plain;

    @BeforeEach
    void seed() {
        plain = HubApi.at(port, ADMIN_PASSWORD);
        api = plain.withJsonContentTypeAlways();
        if (!registry.townshipExists("t1")) {
            registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 6, true),
                    List.of(RegistryServiceTest.duty("u1", TODAY, "u1-m4", "u1-m5", "u1-m6"))));
            new TestUsers(jdbc, encoder).add("disp", "dispatcher", null);
        }
        // one database for the class: each test starts from the seed
        for (String sql : List.of("DELETE FROM duty_swap", "DELETE FROM duty_override", "DELETE FROM duty_pattern",
                "DELETE FROM member WHERE id NOT LIKE 'u1-m_'", "UPDATE member SET resident = TRUE")) {
            jdbc.sql(sql).update();
        }
        TOLD.clear();
    }

    @Test
    void the_weekly_pattern_swaps_and_overrides_round_trip() throws Exception {
        JsonNode roster = api.ok(api.send("PUT", "/api/units/u1/roster", "admin", WEEK), 200);
        assertThat(roster.path("unit").asText()).isEqualTo("u1");
        assertThat(roster.path("pattern")).hasSize(7);
        assertThat(roster.path("pattern").get(0).path("day").asText()).isEqualTo("monday");
        assertThat(roster.path("pattern").get(0).path("onDuty").toString())
                .isEqualTo("[\"u1-m1\",\"u1-m2\",\"u1-m3\"]");
        assertThat(TOLD).containsExactly("u1@" + TODAY);

        JsonNode swapped = api.ok(api.send("POST", "/api/units/u1/swaps", "admin",
                "{\"date\":\"2024-07-31\",\"from\":\"u1-m2\",\"to\":\"u1-m6\"}"), 201);
        assertThat(swapped.path("source").asText()).isEqualTo("pattern");
        assertThat(swapped.path("onDuty").toString()).isEqualTo("[\"u1-m1\",\"u1-m3\",\"u1-m6\"]");
        assertThat(swapped.path("swaps").get(0).path("to").asText()).isEqualTo("u1-m6");

        JsonNode overridden = api.ok(api.send("PUT", "/api/units/u1/duty/2024-08-01", "admin",
                "{\"leader\":\"u1-m5\",\"onDuty\":[\"u1-m5\",\"u1-m4\",\"u1-m6\"]}"), 200);
        assertThat(overridden.path("source").asText()).isEqualTo("override");
        assertThat(overridden.path("leader").asText()).isEqualTo("u1-m5");

        JsonNode days = api.ok(api.send("GET", "/api/units/u1/duty?from=2024-07-30&to=2024-08-02", "admin", null), 200);
        assertThat(days).hasSize(4);
        assertThat(days.get(0).path("date").asText()).isEqualTo("2024-07-30");
        assertThat(days.get(0).path("source").asText()).isEqualTo("pattern");
        assertThat(days.get(1).path("onDuty").toString()).isEqualTo("[\"u1-m1\",\"u1-m3\",\"u1-m6\"]");
        assertThat(days.get(2).path("source").asText()).isEqualTo("override");
        assertThat(days.get(3).path("leader").asText()).isEqualTo("u1-m4");
        assertThat(api.ok(api.send("GET", "/api/units/u1/duty", "admin", null), 200)).as("a week from today by default")
                .hasSize(7);

        roster = api.ok(api.send("GET", "/api/units/u1/roster", "admin", null), 200);
        assertThat(roster.path("overrides")).hasSize(1);
        assertThat(roster.path("overrides").get(0).path("date").asText()).isEqualTo("2024-08-01");
        assertThat(roster.path("swaps")).hasSize(1);

        JsonNode removed = api.ok(api.send("DELETE", "/api/units/u1/duty/2024-08-01", "admin", null), 200);
        assertThat(removed.path("source").asText()).isEqualTo("pattern");
        assertThat(removed.path("leader").asText()).isEqualTo("u1-m4");
        assertThat(TOLD).containsExactly("u1@" + TODAY, "u1@2024-07-31", "u1@2024-08-01", "u1@2024-08-01");

        JsonNode unit = api.ok(api.send("GET", "/api/units/u1", "admin", null), 200);
        assertThat(unit.path("duty").path("leader").asText()).as("today's duty from the pattern").isEqualTo("u1-m1");
    }

    @Test
    void members_are_listed_added_and_changed() throws Exception {
        assertThat(api.ok(api.send("GET", "/api/units/u1/members", "admin", null), 200)).hasSizeGreaterThanOrEqualTo(6);

        JsonNode added = api.ok(api.send("POST", "/api/units/u1/members", "admin",
                "{\"id\":\"u1-new\",\"name\":\"新人\",\"role\":\"村医\",\"resident\":false}"), 201);
        assertThat(added.path("resident").asBoolean(true)).isFalse();
        JsonNode changed = api.ok(api.send("PATCH", "/api/units/u1/members/u1-new", "admin",
                "{\"resident\":true,\"role\":\"民兵\"}"), 200);
        assertThat(changed.path("resident").asBoolean()).isTrue();
        assertThat(changed.path("role").asText()).isEqualTo("民兵");
        List<String> ids = new ArrayList<>();
        api.ok(api.send("GET", "/api/units/u1/members", "admin", null), 200)
                .forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).contains("u1-new");
        assertThat(TOLD).containsExactly("u1@" + TODAY, "u1@" + TODAY);
    }

    @Test
    void rule_violations_are_422_naming_the_rule_in_zh_cn_and_change_nothing() throws Exception {
        JsonNode problem = problem(api.send("PUT", "/api/units/u1/duty/2024-08-01", "admin",
                "{\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\"]}"), 422);
        assertThat(problem.path("rule").asText()).isEqualTo("min-on-duty");
        assertThat(problem.path("ruleText").asText()).contains("不少于3名");
        assertThat(problem.path("subject").asText()).isEqualTo("duty of unit u1 on 2024-08-01");
        assertThat(problem.path("detail").asText()).contains("at least 3 members on duty");

        assertThat(problem(api.send("PUT", "/api/units/u1/duty/2024-08-01", "admin",
                "{\"onDuty\":[\"u1-m1\",\"u1-m2\",\"u1-m3\"]}"), 422).path("rule").asText())
                .isEqualTo("one-duty-leader");
        assertThat(problem(api.send("PUT", "/api/units/u1/roster", "admin",
                WEEK.replace("\"u1-m5\",\"u1-m6\"", "\"u1-m5\"")), 422).path("rule").asText())
                .isEqualTo("min-on-duty");
        assertThat(problem(api.send("PUT", "/api/units/u1/roster", "admin", "{\"pattern\":[]}"), 422).path("rule")
                .asText()).isEqualTo("week-complete");
        assertThat(problem(api.send("POST", "/api/units/u1/swaps", "admin",
                "{\"date\":\"2024-07-30\",\"from\":\"u1-m1\",\"to\":\"u1-m2\"}"), 422).path("rule").asText())
                .isEqualTo("swap-from-on-duty");
        assertThat(problem(api.send("PATCH", "/api/units/u1/members/u1-m4", "admin", "{\"resident\":false}"), 422)
                .path("rule").asText()).isEqualTo("on-duty-resident");
        JsonNode english = json.readTree(http.send(HttpRequest.newBuilder(api.uri("/api/units/u1/duty/2024-08-01"))
                .header("Authorization", HubApi.basic("admin", ADMIN_PASSWORD))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\"]}"))
                .header("Accept-Language", "en").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
        assertThat(english.path("ruleText").asText()).startsWith("a duty day has at least 3");

        assertThat(api.ok(api.send("GET", "/api/units/u1/roster", "admin", null), 200).path("pattern")).isEmpty();
        assertThat(api.ok(api.send("GET", "/api/units/u1/duty?from=2024-07-30&to=2024-08-01", "admin", null), 200)
                .get(2).path("source").asText()).isEqualTo("none");
        assertThat(TOLD).isEmpty();
    }

    @Test
    void malformed_requests_are_400_and_unknown_ids_404() throws Exception {
        problem(api.send("PUT", "/api/units/u1/duty/2024-08-01", "admin", "{not json"), 400);
        problem(api.send("PUT", "/api/units/u1/duty/next-tuesday", "admin",
                "{\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]}"), 400);
        problem(api.send("PUT", "/api/units/u1/duty/2024-08-01", "admin", "{\"leader\":\"u1-m1\"}"), 400);
        problem(api.send("PUT", "/api/units/u1/roster", "admin",
                "{\"pattern\":[{\"day\":\"someday\",\"leader\":\"u1-m1\",\"onDuty\":[]}]}"), 400);
        problem(api.send("POST", "/api/units/u1/swaps", "admin", "{\"date\":\"2024-07-31\"}"), 400);
        problem(api.send("POST", "/api/units/u1/members", "admin", "{\"name\":\"无名\"}"), 400);
        problem(api.send("PATCH", "/api/units/u1/members/u1-m1", "admin", "{}"), 400);
        problem(api.send("GET", "/api/units/u1/duty?from=2024-08-01&to=2024-07-01", "admin", null), 400);
        problem(api.send("GET", "/api/units/u1/duty?from=2024-01-01&to=2026-01-01", "admin", null), 400);

        assertThat(problem(api.send("GET", "/api/units/nope/roster", "admin", null), 404).path("detail").asText())
                .contains("nope");
        problem(api.send("PUT", "/api/units/nope/duty/2024-08-01", "admin",
                "{\"leader\":\"u1-m1\",\"onDuty\":[\"u1-m2\",\"u1-m3\"]}"), 404);
        problem(api.send("GET", "/api/units/nope/members", "admin", null), 404);
        problem(api.send("PATCH", "/api/units/u1/members/nobody", "admin", "{\"resident\":true}"), 404);
        problem(api.send("DELETE", "/api/units/u1/duty/2024-08-01", "admin", null), 404);
        assertThat(TOLD).isEmpty();
    }

    @Test
    void a_dispatcher_reads_rosters_but_may_not_change_them() throws Exception {
        assertThat(plain.send("GET", "/api/units/u1/roster", "disp", null).statusCode()).isEqualTo(200);
        HttpResponse<String> response = plain.send("PUT", "/api/units/u1/roster", "disp", WEEK);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(api.ok(api.send("GET", "/api/units/u1/roster", "admin", null), 200).path("pattern")).isEmpty();
    }

    /** {@link HubApi#problem}, also asserting a non-blank {@code title}, checked before the {@code detail}. */
    private JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        JsonNode problem = api.problemStatus(response, status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }
}
