package cn.callbox.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import static cn.callbox.hub.testing.HubApi.fields;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

import cn.callbox.hub.device.LockerReadiness;
import cn.callbox.hub.registry.RegistryService;
import cn.callbox.hub.registry.TownshipSeed;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.system.MalformedBodyProblems;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.hub.testing.UnknownUnitsReadiness;
import cn.callbox.hub.testing.UnseenBoxesPresence;

/**
 * The roll-out API with the hub's real HTTP security, registry and audit over H2 with every migration; the package
 * catalog and the boxes are fakes (package {@code pkg-2}, version 2.0.0, token {@code tok-2}; boxes box-a, box-b,
 * box-c enrolled, box-r retired). The ticker is slowed down: the test ticks the engine itself.
 */
@SpringBootTest(classes = RolloutApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:rollout-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "callbox.firmware.tick=1h",
                "CALLBOX_ADMIN_PASSWORD=" + RolloutApiTest.ADMIN_PASSWORD })
class RolloutApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-rollouts";
    static final Instant NOW = Instant.parse("2026-11-20T02:00:00Z");
    static final byte[] KEY = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    /**
     * Not a {@code @Configuration}: other tests' scans of this package must not pick it up. Only the roll-out part of
     * the firmware package is imported; the package store is a fake catalog.
     */
    @EnableAutoConfiguration
    @EnableConfigurationProperties({ HubProperties.class, FirmwareProperties.class })
    @ComponentScan(basePackageClasses = { HubProperties.class, RegistryService.class },
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    @Import({ RolloutConfiguration.class, RolloutController.class, RolloutProblems.class, MalformedBodyProblems.class,
            UnseenBoxesPresence.class, UnknownUnitsReadiness.class })
    static class Slice {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(NOW);
        }

        @Bean
        LockerReadiness fakeLockers() {
            return LockerReadiness.UNKNOWN;
        }

        @Bean
        FirmwareCatalog fakeCatalog() {
            return new RolloutEngineTest.Catalog();
        }

        @Bean
        RolloutEngineTest.FakeBoxes fakeBoxes() {
            return new RolloutEngineTest.FakeBoxes("box-a", "box-b", "box-c", "box-r");
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "rollout-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    RegistryService registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    RolloutEngine engine;

    @Autowired
    JdbcRolloutStore store;

    @Autowired
    RolloutEngineTest.FakeBoxes boxes;

    @Autowired
    MutableClock clock;

    private HubApi api;

    @BeforeEach
    void seed() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            new TestTownship(jdbc).township("houshan", "后山镇", "万州区").village("v1", "houshan", "一村")
                    .unit("u1", "v1", "一村单元", 30.80, 108.40);
            jdbc.sql("INSERT INTO point (id, village_id, kind, name, lat, lon, unit_id)"
                    + " VALUES ('p1', 'v1', 'grid', '一村网格', 30.80, 108.40, 'u1')").update();
            for (String endpoint : List.of("box-c", "box-a", "box-b", "box-r")) {
                registry.registerCallBox(new TownshipSeed.CallBox(endpoint, "p1", 30.80, 108.40, "id-" + endpoint,
                        KEY));
            }
            jdbc.sql("UPDATE callbox SET retired_at = ? WHERE endpoint = 'box-r'")
                    .param(NOW.atOffset(ZoneOffset.UTC)).update();
            users.add("disp", "dispatcher", null).add("police", "police", null).add("leader-1", "unit-leader", "u1");
        }
        store.running().ifPresent(r -> store.end(r.id(), Rollout.State.CANCELLED, "test cleanup", "test cleanup",
                clock.instant()));
        // every test's roll-outs are newer than the last test's
        clock.advance(Duration.ofMinutes(1));
    }

    @Test
    void an_admin_starts_follows_and_cancels_a_rollout() throws Exception {
        JsonNode started = api.ok(api.send("POST", "/api/firmware/rollouts", "admin",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-b\",\"box-a\"],\"waveSize\":1}"), 201);
        String id = started.path("id").asText();
        assertThat(id).startsWith("FWR-20261120-");
        Instant now = clock.instant();
        assertThat(fields(started)).containsExactly("boxes", "counts", "createdAt", "createdBy", "detail", "endedAt",
                "firmware", "id", "state", "version", "wave", "waveSize", "waves");
        assertThat(started.path("firmware").asText()).isEqualTo("pkg-2");
        assertThat(started.path("version").asText()).isEqualTo("2.0.0");
        assertThat(started.path("state").asText()).isEqualTo("running");
        assertThat(started.path("waveSize").asInt()).isEqualTo(1);
        assertThat(started.path("wave").asInt()).isEqualTo(1);
        assertThat(started.path("waves").asInt()).isEqualTo(2);
        assertThat(started.path("createdAt").asText()).isEqualTo(now.toString());
        assertThat(started.path("createdBy").asText()).isEqualTo("admin");
        assertThat(started.path("endedAt").isNull()).isTrue();
        assertThat(fields(started.path("counts"))).containsExactlyInAnyOrder("pending", "downloading", "installing",
                "confirming", "succeeded", "failed", "rolled-back", "skipped", "cancelled");
        assertThat(started.path("counts").path("pending").asInt()).isEqualTo(2);
        assertThat(started.toString()).doesNotContain("tok-2");
        JsonNode first = started.path("boxes").get(0);
        assertThat(fields(first)).containsExactly("detail", "endpoint", "fromVersion", "result", "state", "updatedAt",
                "wave");
        assertThat(endpoints(started)).containsExactly("box-b", "box-a");
        assertThat(first.path("wave").asInt()).isEqualTo(1);
        assertThat(started.path("boxes").get(1).path("wave").asInt()).isEqualTo(2);
        assertThat(first.path("result").isNull()).isTrue();

        engine.tick();
        // the Package URI is the request's own address with the package's download path
        assertThat(boxes.get("box-b").uris).containsExactly("http://127.0.0.1:" + port + "/firmware/download/tok-2");
        assertThat(boxes.get("box-a").uris).isEmpty();

        JsonNode one = api.ok(api.send("GET", "/api/firmware/rollouts/" + id, "admin", null), 200);
        assertThat(one.path("boxes").get(0).path("state").asText()).isEqualTo("downloading");
        assertThat(one.path("boxes").get(0).path("fromVersion").asText()).isEqualTo("1.0.0");
        assertThat(one.path("counts").path("downloading").asInt()).isEqualTo(1);

        JsonNode list = api.ok(api.send("GET", "/api/firmware/rollouts", "admin", null), 200);
        assertThat(HubApi.ids(list).get(0)).isEqualTo(id);
        assertThat(fields(list.get(0))).doesNotContain("boxes").contains("counts", "state", "wave", "waves");

        JsonNode cancelled = api.ok(api.send("POST", "/api/firmware/rollouts/" + id + "/cancel", "admin", null), 200);
        assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("endedAt").asText()).isEqualTo(now.toString());
        assertThat(cancelled.path("counts").path("cancelled").asInt()).isEqualTo(2);
        assertThat(boxes.get("box-b").uris).endsWith("");
        assertThat(audit(id)).containsExactly("admin firmware-rollout", "admin firmware-rollout-cancel");

        api.problem(api.send("POST", "/api/firmware/rollouts/" + id + "/cancel", "admin", null), 409,
                "rollout-not-running");
        assertThat(audit(id)).hasSize(2);
    }

    @Test
    void without_a_list_every_enrolled_box_that_is_not_retired_is_updated_by_endpoint_and_one_runs_at_a_time()
            throws Exception {
        long stored = rollouts();
        JsonNode started = api.ok(api.send("POST", "/api/firmware/rollouts", "admin", "{\"firmware\":\"pkg-2\"}"),
                201);
        assertThat(endpoints(started)).containsExactly("box-a", "box-b", "box-c");
        assertThat(started.path("waveSize").asInt()).isEqualTo(5);
        assertThat(started.path("waves").asInt()).isEqualTo(1);

        JsonNode conflict = api.problem(api.send("POST", "/api/firmware/rollouts", "admin",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-a\"]}"), 409, "rollout-running");
        assertThat(conflict.path("detail").asText()).contains(started.path("id").asText());
        assertThat(rollouts()).isEqualTo(stored + 1);
    }

    @Test
    void refused_requests_are_problems_and_store_nothing() throws Exception {
        long stored = rollouts();
        api.problem(api.send("POST", "/api/firmware/rollouts", "admin", "{\"firmware\":\"pkg-9\"}"), 404,
                "firmware-not-found");
        for (String body : List.of("{}", "{\"firmware\":\"pkg-2\",\"endpoints\":[]}",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-x\"]}",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-a\",\"box-r\"]}",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-a\",\"box-a\"]}",
                "{\"firmware\":\"pkg-2\",\"waveSize\":0}", "{\"firmware\":\"pkg-2\",\"waveSize\":101}")) {
            api.problem(api.send("POST", "/api/firmware/rollouts", "admin", body), 422, "rollout-invalid");
        }
        api.problem(api.send("POST", "/api/firmware/rollouts", "admin", "{\"firmware\":"), 400, "malformed-body");
        api.problem(api.send("GET", "/api/firmware/rollouts/FWR-NONE", "admin", null), 404, "rollout-not-found");
        api.problem(api.send("POST", "/api/firmware/rollouts/FWR-NONE/cancel", "admin", null), 404,
                "rollout-not-found");
        assertThat(rollouts()).isEqualTo(stored);
        assertThat(boxes.contacted()).doesNotContain("box-r");
    }

    @Test
    void only_the_admin_may_see_or_run_rollouts() throws Exception {
        String id = api.ok(api.send("POST", "/api/firmware/rollouts", "admin",
                "{\"firmware\":\"pkg-2\",\"endpoints\":[\"box-c\"]}"), 201).path("id").asText();
        long stored = rollouts();
        for (String user : List.of("disp", "police", "leader-1")) {
            assertThat(api.send("GET", "/api/firmware/rollouts", user, null).statusCode()).as(user).isEqualTo(403);
            assertThat(api.send("GET", "/api/firmware/rollouts/" + id, user, null).statusCode()).as(user)
                    .isEqualTo(403);
            assertThat(api.send("POST", "/api/firmware/rollouts", user, "{\"firmware\":\"pkg-2\"}").statusCode())
                    .as(user).isEqualTo(403);
            assertThat(api.send("POST", "/api/firmware/rollouts/" + id + "/cancel", user, null).statusCode())
                    .as(user).isEqualTo(403);
        }
        assertThat(api.send("GET", "/api/firmware/rollouts", null, null).statusCode()).isEqualTo(401);
        assertThat(rollouts()).isEqualTo(stored);
        assertThat(api.ok(api.send("GET", "/api/firmware/rollouts/" + id, "admin", null), 200).path("state").asText())
                .isEqualTo("running");
    }

    private long rollouts() {
        return jdbc.sql("SELECT COUNT(*) FROM firmware_rollout").query(Long.class).single();
    }

    private List<String> audit(String target) {
        return jdbc.sql("SELECT actor, action FROM audit_log WHERE target = ? ORDER BY id").param(target)
                .query((rs, n) -> rs.getString("actor") + " " + rs.getString("action")).list();
    }

    private static List<String> endpoints(JsonNode rollout) {
        List<String> endpoints = new ArrayList<>();
        rollout.path("boxes").forEach(b -> endpoints.add(b.path("endpoint").asText()));
        return endpoints;
    }
}
