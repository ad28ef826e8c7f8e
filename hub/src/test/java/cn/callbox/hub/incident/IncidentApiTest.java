package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * The incident REST API with the hub's real HTTP security, on a random port over H2 with every migration: who may see
 * and do what (admin, dispatcher, police, unit leaders of an alerted and of another unit) and the audit trail.
 */
@SpringBootTest(classes = IncidentApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:incident-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + IncidentApiTest.ADMIN_PASSWORD })
class IncidentApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * Not a {@code @SpringBootConfiguration}: other tests of the package scan it or look for one (the
     * {@code @WebMvcTest} of {@link IncidentControllerTest}), and must not find this one.
     */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, IncidentService.class },
            excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE,
                    classes = IncidentControllerTest.Slice.class))
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(IncidentServiceTest.T0);
        }

        @Bean
        TownshipDirectory fakeDirectory() {
            return IncidentServiceTest.township();
        }

        @Bean
        ReadinessService fakeReadiness() {
            return new Fakes.Readiness();
        }

        @Bean
        Fakes.Commands fakeCommands() {
            return new Fakes.Commands();
        }

        @Bean
        Fakes.Publisher fakePublisher() {
            return new Fakes.Publisher();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "incident-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    IncidentService service;

    @Autowired
    Clock clock;

    @Autowired
    Fakes.Publisher publisher;

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
            new TestTownship(jdbc).township("t1", "镇", "区").village("v1", "t1", "村")
                    .units("v1", 30.8, 108.4, List.of("unit-a", "unit-e"));
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-a", "unit-leader", "unit-a");
            users.add("leader-e", "unit-leader", "unit-e");
        }
    }

    /**
     * A new incident of box-a: units a, b and c are alerted (not e). Earlier incidents of the box are closed and a
     * minute passes, or the press would join them (or count against the box's limit).
     */
    String raise() {
        Fakes.newPressAllowed(service, (MutableClock) clock, "box-a");
        String id = service.receive(new AlarmRecord("box-a", SEQUENCE.incrementAndGet(),
                Instant.parse("2026-11-29T01:59:58Z")));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (service.find(id).orElseThrow().units().size() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(service.find(id).orElseThrow().units()).hasSize(3);
        return id;
    }

    List<String> ids(HttpResponse<String> list) throws Exception {
        return HubApi.ids(api.ok(list, 200));
    }

    List<String> audit(String incidentId) {
        return jdbc.sql("SELECT actor, action, detail FROM audit_log WHERE target = ? ORDER BY id").param(incidentId)
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)).list();
    }

    // ------------------------------------------------------------------ reading

    @Test
    void township_roles_see_every_incident_and_a_unit_leader_only_those_of_their_unit() throws Exception {
        String id = raise();

        for (String user : List.of("admin", "disp", "police", "leader-a")) {
            assertThat(ids(api.send("GET", "/api/incidents", user, null))).as(user).contains(id);
            HttpResponse<String> one = api.send("GET", "/api/incidents/" + id, user, null);
            assertThat(one.statusCode()).as(user).isEqualTo(200);
            assertThat(json.readTree(one.body()).path("id").asText()).isEqualTo(id);
        }
        assertThat(ids(api.send("GET", "/api/incidents", "leader-e", null))).doesNotContain(id);
        JsonNode problem = api.problemStatus(api.send("GET", "/api/incidents/" + id, "leader-e", null), 403);
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:other-unit");
        api.problemStatus(api.send("GET", "/api/incidents/INC-00000000-NOPE00", "leader-e", null), 404);
        api.problemStatus(api.send("GET", "/api/incidents", null, null), 401);
    }

    @Test
    void a_unit_leader_sees_the_incident_once_their_unit_is_alerted_by_hand() throws Exception {
        String id = raise();
        api.problemStatus(api.send("GET", "/api/incidents/" + id, "leader-e", null), 403);

        assertThat(api.send("POST", "/api/incidents/" + id + "/alerts", "disp", "{\"unit\":\"unit-e\"}").statusCode())
                .isEqualTo(200);

        assertThat(api.send("GET", "/api/incidents/" + id, "leader-e", null).statusCode()).isEqualTo(200);
        assertThat(ids(api.send("GET", "/api/incidents", "leader-e", null))).contains(id);
    }

    // ------------------------------------------------------------------ acks and reports

    @Test
    void acks_by_every_role_for_alerted_units_and_never_for_another_units_incident() throws Exception {
        String id = raise();

        api.problemStatus(api.send("POST", "/api/incidents/" + id + "/acks", "leader-e", "{\"memberId\":\"m-e1\"}"),
                403);
        // a unit leader acknowledges for their own unit's members only
        api.problemStatus(api.send("POST", "/api/incidents/" + id + "/acks", "leader-a", "{\"memberId\":\"m-b1\"}"),
                422);
        assertThat(audit(id)).isEmpty();

        assertThat(api.send("POST", "/api/incidents/" + id + "/acks", "leader-a", "{\"memberId\":\"m-a1\"}")
                .statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/incidents/" + id + "/acks", "police", "{\"memberId\":\"m-b1\"}")
                .statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/incidents/" + id + "/acks", "disp", "{\"memberId\":\"m-a2\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> last = api.send("POST", "/api/incidents/" + id + "/acks", "admin",
                "{\"memberId\":\"m-a3\"}");
        assertThat(last.statusCode()).isEqualTo(200);

        List<String> acked = new ArrayList<>();
        json.readTree(last.body()).path("log").forEach(l -> {
            if (l.path("type").asText().equals("acknowledged")) {
                acked.add(l.path("unit").asText() + "/" + l.path("member").asText());
            }
        });
        assertThat(acked).containsExactly("unit-a/m-a1", "unit-b/m-b1", "unit-a/m-a2", "unit-a/m-a3");
        assertThat(audit(id)).containsExactly("leader-a incident-ack member m-a1", "police incident-ack member m-b1",
                "disp incident-ack member m-a2", "admin incident-ack member m-a3");
    }

    @Test
    void reports_by_the_alerted_units_leader_and_police_but_not_by_another_units_leader() throws Exception {
        String id = raise();

        api.problemStatus(api.send("POST", "/api/incidents/" + id + "/reports", "leader-e",
                "{\"status\":\"on-scene\"}"), 403);
        assertThat(api.send("POST", "/api/incidents/" + id + "/reports", "leader-a",
                "{\"status\":\"on-scene\",\"note\":\"已到达\"}").statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/incidents/" + id + "/reports", "police", "{\"status\":\"needs-ambulance\"}")
                .statusCode()).isEqualTo(200);

        assertThat(service.find(id).orElseThrow().state()).isEqualTo("responding");
        assertThat(audit(id)).containsExactly("leader-a incident-report on-scene: 已到达",
                "police incident-report needs-ambulance");
    }

    // ------------------------------------------------------------------ command centre actions

    @Test
    void only_admin_and_dispatcher_steer_an_incident_and_each_action_is_audited() throws Exception {
        String id = raise();
        for (String user : List.of("police", "leader-a", "leader-e")) {
            api.problemStatus(api.send("POST", "/api/incidents/" + id + "/alerts", user, "{\"unit\":\"unit-e\"}"), 403);
            api.problemStatus(api.send("POST", "/api/incidents/" + id + "/police", user, "{}"), 403);
            api.problemStatus(api.send("POST", "/api/incidents/" + id + "/false-alarm", user, "{}"), 403);
            api.problemStatus(api.send("POST", "/api/incidents/" + id + "/close", user, "{}"), 403);
        }
        assertThat(service.find(id).orElseThrow().state()).isEqualTo("raised");
        assertThat(service.find(id).orElseThrow().units()).hasSize(3);
        assertThat(audit(id)).isEmpty();

        HttpResponse<String> alerted = api.send("POST", "/api/incidents/" + id + "/alerts", "disp",
                "{\"unit\":\"unit-e\"}");
        assertThat(alerted.statusCode()).isEqualTo(200);
        assertThat(json.readTree(alerted.body()).path("units")).hasSize(4);
        assertThat(publisher.alertedUnits()).contains("unit-e");
        assertThat(json.readTree(api.send("POST", "/api/incidents/" + id + "/police", "admin",
                "{\"note\":\"持刀\"}").body()).path("needsPolice").asBoolean()).isTrue();
        HttpResponse<String> closed = api.send("POST", "/api/incidents/" + id + "/close", "disp",
                "{\"note\":\"处置完毕\"}");
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(json.readTree(closed.body()).path("state").asText()).isEqualTo("resolved");
        api.problemStatus(api.send("POST", "/api/incidents/" + id + "/false-alarm", "admin", "{}"), 409);

        assertThat(audit(id)).containsExactly("disp incident-alert-unit unit-e", "admin incident-police 持刀",
                "disp incident-close 处置完毕");
    }

    @Test
    void an_admin_marks_a_false_alarm_and_it_is_audited() throws Exception {
        String id = raise();

        HttpResponse<String> response = api.send("POST", "/api/incidents/" + id + "/false-alarm", "admin",
                "{\"note\":\"误按\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("state").asText()).isEqualTo("false-alarm");
        assertThat(audit(id)).containsExactly("admin incident-false-alarm 误按");
    }

    @Test
    void a_drill_of_a_unit_without_a_box_is_served_with_a_null_call_box() throws Exception {
        String id = service.startDrill("unit-e", "disp").id();

        HttpResponse<String> one = api.send("GET", "/api/incidents/" + id, "leader-e", null);

        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode drill = json.readTree(one.body());
        assertThat(drill.path("kind").asText()).isEqualTo("drill");
        assertThat(drill.path("callbox").isNull()).isTrue(); // unit-e's box is not in the registry
        assertThat(drill.path("units").get(0).path("unit").asText()).isEqualTo("unit-e");
        api.problemStatus(api.send("GET", "/api/incidents/" + id, "leader-a", null), 403);
    }
}
