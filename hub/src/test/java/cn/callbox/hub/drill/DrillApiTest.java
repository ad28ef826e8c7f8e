package cn.callbox.hub.drill;

import static cn.callbox.hub.testing.HubApi.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.RecordingFeed;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.mqtt.IncidentSnapshot.AlertedUnit;
import cn.callbox.protocol.mqtt.IncidentSnapshot.LogLine;

/**
 * The drill REST API with the hub's real HTTP security, served on a random port over H2 with every migration; the
 * registry is a fake directory, the alarm path a fake launcher and the console feed a recorder.
 */
@SpringBootTest(classes = DrillApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:drill-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + DrillApiTest.ADMIN_PASSWORD })
class DrillApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";

    /** Tuesday 10 March 2026, 10:00 in the township. */
    static final Instant T0 = Instant.parse("2026-03-10T02:00:00Z");

    static final List<String> UNITS = List.of("unit-a", "unit-b", "unit-c", "unit-d", "unit-e");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, DrillService.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(T0);
        }

        @Bean
        TownshipDirectory fakeDirectory() {
            return new Directory();
        }

        @Bean
        FakeLauncher fakeLauncher() {
            return new FakeLauncher();
        }

        @Bean
        @Primary
        RecordingFeed recordingFeed() {
            return new RecordingFeed();
        }
    }

    /** Five units; each day's duty leader is {@code <unit>-m1}. */
    static final class Directory extends EmptyTownshipDirectory {
        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return UNITS.contains(unitId)
                    ? Optional.of(new UnitInfo(unitId, "单元" + unitId.substring(5), "v1", "村", 30.8, 108.4,
                            List.of("box-" + unitId)))
                    : Optional.empty();
        }

        @Override
        public List<UnitInfo> units() {
            return UNITS.stream().map(u -> unit(u).orElseThrow()).toList();
        }

        @Override
        public DutyDay duty(String unitId, LocalDate day) {
            return new DutyDay(unitId, day, unitId + "-m1", List.of(unitId + "-m1", unitId + "-m2", unitId + "-m3"));
        }
    }

    /** Raises drill incidents in memory; tests add log lines to them. */
    static final class FakeLauncher implements DrillLauncher {
        final List<String[]> starts = new CopyOnWriteArrayList<>();
        final Map<String, IncidentSnapshot> incidents = new ConcurrentHashMap<>();
        int next = 1;

        @Override
        public synchronized IncidentSnapshot start(String unitId, String actor) {
            String id = "INC-20260310-" + (next++);
            starts.add(new String[] { unitId, actor, id });
            String at = T0.toString();
            IncidentSnapshot snapshot = new IncidentSnapshot(id, "drill", "raised", "box-" + unitId, next, "集市", "村",
                    30.8, 108.4, at, at, false, false, false, null,
                    List.of(new AlertedUnit(unitId, "primary", at, null, null, false, 0, "drill")),
                    List.of(new LogLine(at, "raised", null, null, "drill started by " + actor)), 0, List.of(),
                    List.of());
            incidents.put(id, snapshot);
            return snapshot;
        }

        @Override
        public Optional<IncidentSnapshot> incident(String incidentId) {
            return Optional.ofNullable(incidents.get(incidentId));
        }

        void log(String incidentId, String state, LogLine... lines) {
            IncidentSnapshot s = incidents.get(incidentId);
            List<LogLine> log = new ArrayList<>(s.log());
            log.addAll(List.of(lines));
            incidents.put(incidentId, new IncidentSnapshot(s.id(), s.kind(), state, s.callbox(), s.sequence(),
                    s.place(), s.village(), s.lat(), s.lon(), s.raisedAt(), s.recordedAt(), false, false, false, null,
                    s.units(), log, 0, List.of(), List.of()));
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "drill-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    FakeLauncher launcher;

    @Autowired
    RecordingFeed feed;

    @Autowired
    Clock clock;

    @Autowired
    DrillService service;

    private final ObjectMapper json = new ObjectMapper();
    private HubApi api;

    @BeforeEach
    void users() {
        ((MutableClock) clock).set(T0);
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            new TestTownship(jdbc).township("t1", "镇", "区").village("v1", "t1", "村")
                    .units("v1", 30.8, 108.4, UNITS);
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-a", "unit-leader", "unit-a");
        }
    }

    // ------------------------------------------------------------------ roles

    @Test
    void unit_leaders_are_refused_everywhere_and_strangers_must_log_in() throws Exception {
        String drillId = json.readTree(api.send("POST", "/api/drills", "disp", "{\"unit\":\"unit-a\"}").body())
                .path("id").asText();
        int starts = launcher.starts.size();
        for (String[] call : new String[][] { { "GET", "/api/drills", null }, { "GET", "/api/drills/" + drillId, null },
                { "GET", "/api/drills/plan?year=2026", null }, { "GET", "/api/drills/coverage?year=2026", null },
                { "GET", "/api/drills/reports?year=2026", null },
                { "POST", "/api/drills", "{\"unit\":\"unit-a\"}" },
                { "POST", "/api/drills/plan", "{\"year\":2026,\"perMonth\":3}" } }) {
            api.problem(api.send(call[0], call[1], "leader-a", call[2]), 403);
            // without credentials: 401, or for a change 403 first (no CSRF token: it is taken for a browser's)
            HttpResponse<String> stranger = api.send(call[0], call[1], null, call[2]);
            assertThat(stranger.statusCode()).as(call[1]).isIn(call[0].equals("GET") ? List.of(401) : List.of(401, 403));
        }
        assertThat(launcher.starts).hasSize(starts);
    }

    @Test
    void admin_dispatcher_and_police_may_read_plan_and_start() throws Exception {
        for (String user : List.of("admin", "disp", "police")) {
            assertThat(api.send("POST", "/api/drills/plan", user, "{\"year\":2026,\"perMonth\":3}").statusCode())
                    .as(user).isEqualTo(200);
            HttpResponse<String> started = api.send("POST", "/api/drills", user, "{\"unit\":\"unit-b\"}");
            assertThat(started.statusCode()).as(user).isEqualTo(201);
            assertThat(json.readTree(started.body()).path("startedBy").asText()).isEqualTo(user);
            for (String path : List.of("/api/drills", "/api/drills/plan", "/api/drills/coverage?year=2026",
                    "/api/drills/reports")) {
                assertThat(api.send("GET", path, user, null).statusCode()).as(user + " " + path).isEqualTo(200);
            }
        }
    }

    // ------------------------------------------------------------------ plan

    @Test
    void the_plan_covers_every_month_left_and_both_halves_and_keeps_passed_months() throws Exception {
        ((MutableClock) clock).set(Instant.parse("2026-01-05T01:00:00Z"));
        HttpResponse<String> january = api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":3}");
        assertThat(january.statusCode()).as(january.body()).isEqualTo(200);
        JsonNode entries = json.readTree(january.body());
        assertThat(fields(entries.get(0))).containsExactlyInAnyOrder("id", "unit", "month", "plannedAt", "drillId");
        Map<String, Set<String>> unitsByMonth = new HashMap<>();
        for (JsonNode e : entries) {
            unitsByMonth.computeIfAbsent(e.path("month").asText(), m -> new TreeSet<>()).add(e.path("unit").asText());
            assertThat(Instant.parse(e.path("plannedAt").asText())).isAfter(clock.instant());
        }
        assertThat(unitsByMonth).hasSize(12);
        JsonNode coverage = json.readTree(api.send("GET", "/api/drills/coverage?year=2026", "police", null).body());
        assertThat(coverage.path("violations")).isEmpty();
        assertThat(coverage.path("months")).hasSize(12)
                .allSatisfy(m -> assertThat(m.path("units").asInt()).isGreaterThanOrEqualTo(3));
        assertThat(coverage.path("units")).hasSize(5);
        assertThat(coverage.path("units").get(0).path("firstHalf").asBoolean()).isTrue();
        assertThat(coverage.path("units").get(0).path("secondHalf").asBoolean()).isTrue();
        assertThat(fields(coverage.path("units").get(0))).contains("unit", "name", "drills", "planned", "firstHalf",
                "secondHalf");
        assertThat(fields(coverage.path("months").get(0))).contains("month", "done", "planned");

        // in March, January and February stay as they were; March on is drawn again
        ((MutableClock) clock).set(T0);
        List<String> janFeb = ids(entries, "2026-01", "2026-02");
        JsonNode march = json.readTree(api.send("POST", "/api/drills/plan", "admin", "{\"year\":2026,\"perMonth\":4}")
                .body());
        assertThat(ids(march, "2026-01", "2026-02")).containsExactlyInAnyOrderElementsOf(janFeb);
        assertThat(ids(march, "2026-03", "2026-12")).doesNotContainAnyElementsOf(ids(entries, "2026-03", "2026-12"));
        assertThat(json.readTree(api.send("GET", "/api/drills/plan?year=2026", "disp", null).body()))
                .hasSize(march.size());
        assertThat(auditCount("drill-plan")).isGreaterThanOrEqualTo(2);
        assertThat(feed.events()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("drill-plan");
            assertThat(e.units()).isEqualTo(List.of()); // never to unit leaders: the dates are a surprise
        });
    }

    @Test
    void bad_plan_requests_are_refused_and_change_nothing() throws Exception {
        api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":3}");
        String before = api.send("GET", "/api/drills/plan?year=2026", "disp", null).body();

        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":2}"), 422);
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":101}"), 422);
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2025,\"perMonth\":3}"), 422);
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2028,\"perMonth\":3}"), 422);
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"perMonth\":3}"), 422);
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{\"year\":\"soon\"}"), 400, "malformed-body");
        api.problem(api.send("POST", "/api/drills/plan", "disp", "{not json"), 400, "malformed-body");
        assertThat(api.problem(api.send("GET", "/api/drills/plan?year=abc", "disp", null), 400, "invalid-request")
                .path("detail").asText()).isEqualTo("'year' must be a number");
        api.problem(api.send("GET", "/api/drills/coverage?year=1900", "disp", null), 422);

        assertThat(api.send("GET", "/api/drills/plan?year=2026", "disp", null).body()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ start and score

    @Test
    void a_drill_starts_now_is_audited_published_and_scored_from_its_incident() throws Exception {
        HttpResponse<String> started = api.send("POST", "/api/drills", "disp", "{\"unit\":\"unit-c\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode drill = json.readTree(started.body());
        assertThat(fields(drill)).contains("id", "unit", "incidentId", "startedAt", "startedBy", "state",
                "firstAckSeconds", "quorumSeconds", "lockerOpenedSeconds", "arrivalSeconds", "score", "passed");
        assertThat(drill.path("unit").asText()).isEqualTo("unit-c");
        assertThat(drill.path("startedAt").asText()).isEqualTo(T0.toString());
        assertThat(drill.path("state").asText()).isEqualTo("running");
        assertThat(drill.path("firstAckSeconds").isNull()).isTrue();
        assertThat(drill.path("score").asInt()).isZero();
        String id = drill.path("id").asText();
        String incident = drill.path("incidentId").asText();
        assertThat(launcher.starts).anySatisfy(s -> assertThat(s).containsExactly("unit-c", "disp", incident));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'drill-start' AND actor = 'disp' "
                + "AND target = 'unit-c' AND detail LIKE ?").param("%" + id + "%").query(Integer.class).single())
                .isEqualTo(1);
        assertThat(feed.events()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("drill");
            assertThat(((DrillService.DrillView) e.payload()).id()).isEqualTo(id);
            assertThat(e.units()).isEqualTo(List.of("unit-c"));
        });

        launcher.log(incident, "resolved", line(30, "acknowledged", "unit-c", "unit-c-m2"),
                line(45, "acknowledged", "unit-c", "unit-c-m1"), line(100, "acknowledged", "unit-c", "unit-c-m3"),
                line(200, "muster", "unit-c", null), line(700, "on-scene", "unit-c", null),
                line(1000, "resolved", null, null));
        JsonNode scored = json.readTree(api.send("GET", "/api/drills/" + id, "police", null).body());
        assertThat(scored.path("firstAckSeconds").asLong()).isEqualTo(30);
        assertThat(scored.path("quorumSeconds").asLong()).isEqualTo(100);
        assertThat(scored.path("lockerOpenedSeconds").asLong()).isEqualTo(200);
        assertThat(scored.path("arrivalSeconds").asLong()).isEqualTo(700);
        assertThat(scored.path("score").asInt()).isEqualTo(100);
        assertThat(scored.path("passed").asBoolean()).isTrue();
        assertThat(scored.path("state").asText()).isEqualTo("completed");

        JsonNode reports = json.readTree(api.send("GET", "/api/drills/reports?year=2026", "disp", null).body());
        JsonNode unitC = null;
        for (JsonNode u : reports.path("units")) {
            if (u.path("unit").asText().equals("unit-c")) {
                unitC = u;
            }
        }
        assertThat(unitC).isNotNull();
        assertThat(unitC.path("count").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(unitC.path("passed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(unitC.path("quorum").path("best").asLong()).isEqualTo(100);
        assertThat(reports.path("months").get(2).path("month").asText()).isEqualTo("2026-03");
        assertThat(reports.path("months").get(2).path("passed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(reports.path("quarters")).hasSize(4);
    }

    @Test
    void drills_list_newest_first() throws Exception {
        String first = json.readTree(api.send("POST", "/api/drills", "disp", "{\"unit\":\"unit-d\"}").body())
                .path("id").asText();
        ((MutableClock) clock).advance(Duration.ofMinutes(5));
        String second = json.readTree(api.send("POST", "/api/drills", "disp", "{\"unit\":\"unit-e\"}").body())
                .path("id").asText();

        List<String> ids = new ArrayList<>();
        json.readTree(api.send("GET", "/api/drills", "police", null).body())
                .forEach(d -> ids.add(d.path("id").asText()));
        assertThat(ids).containsSubsequence(second, first);
        assertThat(ids.get(0)).isEqualTo(second);
    }

    @Test
    void a_planned_drill_runs_once_and_bad_starts_change_nothing() throws Exception {
        JsonNode plan = json.readTree(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":3}")
                .body());
        JsonNode entry = plan.get(plan.size() - 1);
        String planId = entry.path("id").asText();
        int starts = launcher.starts.size();

        api.problem(api.send("POST", "/api/drills", "disp", "{\"unit\":\"unit-x\"}"), 404);
        api.problem(api.send("POST", "/api/drills", "disp", "{\"planId\":\"DP-2026-NOPE\"}"), 404);
        api.problem(api.send("POST", "/api/drills", "disp", "{}"), 422);
        api.problem(api.send("POST", "/api/drills", "disp", "{\"unit\":\"" + other(entry.path("unit").asText())
                + "\",\"planId\":\"" + planId + "\"}"), 422);
        api.problem(api.send("POST", "/api/drills", "disp", "[1,2"), 400);
        api.problem(api.send("GET", "/api/drills/DRL-NOPE", "disp", null), 404);
        assertThat(launcher.starts).hasSize(starts);

        HttpResponse<String> ran = api.send("POST", "/api/drills", "police", "{\"planId\":\"" + planId + "\"}");
        assertThat(ran.statusCode()).as(ran.body()).isEqualTo(201);
        JsonNode drill = json.readTree(ran.body());
        assertThat(drill.path("unit").asText()).isEqualTo(entry.path("unit").asText());
        assertThat(drill.path("planId").asText()).isEqualTo(planId);
        JsonNode after = json.readTree(api.send("GET", "/api/drills/plan?year=2026", "disp", null).body());
        boolean marked = false;
        for (JsonNode e : after) {
            if (e.path("id").asText().equals(planId)) {
                marked = e.path("drillId").asText().equals(drill.path("id").asText());
            }
        }
        assertThat(marked).isTrue();

        api.problem(api.send("POST", "/api/drills", "disp", "{\"planId\":\"" + planId + "\"}"), 409);
        assertThat(launcher.starts).hasSize(starts + 1);

        // a new draw keeps the entry that ran
        JsonNode redrawn = json.readTree(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":3}")
                .body());
        List<String> kept = new ArrayList<>();
        redrawn.forEach(e -> kept.add(e.path("id").asText()));
        assertThat(kept).contains(planId);
    }

    @Test
    void the_auto_start_runs_planned_drills_whose_time_came_once_as_system() throws Exception {
        JsonNode plan = json.readTree(api.send("POST", "/api/drills/plan", "disp", "{\"year\":2026,\"perMonth\":3}")
                .body());
        JsonNode first = null;
        for (JsonNode e : plan) {
            if (e.path("drillId").isNull() && (first == null
                    || e.path("plannedAt").asText().compareTo(first.path("plannedAt").asText()) < 0)) {
                first = e;
            }
        }
        Instant due = Instant.parse(first.path("plannedAt").asText());
        ((MutableClock) clock).set(due.minusSeconds(60));
        assertThat(service.startDue()).isZero();

        ((MutableClock) clock).set(due.plusSeconds(30));
        int starts = launcher.starts.size();
        assertThat(service.startDue()).isGreaterThanOrEqualTo(1);
        assertThat(launcher.starts.get(starts)).containsSequence(first.path("unit").asText(), "system");
        assertThat(service.startDue()).isZero();
        JsonNode after = json.readTree(api.send("GET", "/api/drills/plan?year=2026", "disp", null).body());
        for (JsonNode e : after) {
            if (e.path("id").asText().equals(first.path("id").asText())) {
                assertThat(e.path("drillId").isNull()).isFalse();
            }
        }

        // more than an hour late (the hub was down): missed, not started
        JsonNode later = null;
        for (JsonNode e : after) {
            if (e.path("drillId").isNull() && Instant.parse(e.path("plannedAt").asText()).isAfter(due.plusSeconds(30))
                    && (later == null || e.path("plannedAt").asText().compareTo(later.path("plannedAt").asText()) < 0)) {
                later = e;
            }
        }
        String laterId = later.path("id").asText();
        ((MutableClock) clock).set(Instant.parse(later.path("plannedAt").asText()).plusSeconds(3601));
        service.startDue();
        for (JsonNode e : json.readTree(api.send("GET", "/api/drills/plan?year=2026", "disp", null).body())) {
            if (e.path("id").asText().equals(laterId)) {
                assertThat(e.path("drillId").isNull()).as(laterId + " is missed").isTrue();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String other(String unit) {
        return unit.equals("unit-a") ? "unit-b" : "unit-a";
    }

    static LogLine line(long seconds, String type, String unit, String member) {
        return new LogLine(T0.plusSeconds(seconds).toString(), type, unit, member, type);
    }

    /** The ids of the entries not run yet in the months. */
    static List<String> ids(JsonNode entries, String fromMonth, String toMonth) {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : entries) {
            String month = e.path("month").asText();
            if (e.path("drillId").isNull() && month.compareTo(fromMonth) >= 0 && month.compareTo(toMonth) <= 0) {
                ids.add(e.path("id").asText());
            }
        }
        return ids;
    }

    int auditCount(String action) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?").param(action).query(Integer.class)
                .single();
    }
}
