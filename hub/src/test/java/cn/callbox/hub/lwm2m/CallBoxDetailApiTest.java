package cn.callbox.hub.lwm2m;

import static cn.callbox.hub.testing.HubApi.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
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
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.AuditTrail.AuditEntry;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.RecordingFeed;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * The call-box detail and actions API end to end: the hub's real HTTP security, LwM2M server (DTLS on a free port),
 * device and audit beans over H2, and a real Leshan test box; the registry is a fake directory and the console feed a
 * recorder.
 */
@SpringBootTest(classes = CallBoxDetailApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:callbox-detail-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1",
                "CALLBOX_ADMIN_PASSWORD=" + CallBoxDetailApiTest.ADMIN_PASSWORD })
class CallBoxDetailApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    /** The actions' wait for an answer in this test (the hub's is 10 s). */
    static final long ACTION_TIMEOUT_MILLIS = 2_000;

    /** Only in the web context of this test: not picked up when another test scans this package. */
    @SpringBootConfiguration
    @ConditionalOnWebApplication
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, CallBoxPresence.class, LeshanServerLifecycle.class })
    @ComponentScan(basePackages = "cn.callbox.hub.boxes")
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return new MutableClock(T0);
        }

        @Bean
        CallBoxKeys keys() {
            return new Fakes.Keys().add("box-a", "box-a-psk", KEY).add("box-b", "box-b-psk", KEY);
        }

        @Bean
        AlarmReceiver alarms() {
            return new Fakes.Alarms();
        }

        @Bean
        TownshipDirectory directory() {
            return new Directory();
        }

        @Bean
        @Primary
        RecordingFeed recordingFeed() {
            return new RecordingFeed();
        }

        @Bean
        @Primary
        LeshanCallBoxActions quickActions(LeshanServerLifecycle leshanServer) {
            return new LeshanCallBoxActions(leshanServer, ACTION_TIMEOUT_MILLIS);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "callbox-detail-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpoint lwm2m;

    @Autowired
    CallBoxPresence presence;

    @Autowired
    AuditTrail audit;

    @Autowired
    RecordingFeed feed;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final ObjectMapper json = new ObjectMapper();
    private HubApi api;
    private TestCallBox box;

    @BeforeEach
    void usersAndBox() {
        // every request declares JSON, even without a body (the malformed-body case sends none); none waits over 30 s
        api = HubApi.at(port, ADMIN_PASSWORD).withTimeout(Duration.ofSeconds(30)).withJsonContentTypeAlways();
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            new TestTownship(jdbc).township("t1", "后山镇", "万州区").village("v1", "t1", "后山村")
                    .units("v1", 30.8, 108.4, List.of("unit-a", "unit-b"));
            users.add("disp", "dispatcher", null);
            users.add("police", "police", null);
            users.add("leader-a", "unit-leader", "unit-a");
        }
        box = TestCallBox.withPsk(lwm2m.secureUri(), "box-a", "box-a-psk", KEY).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> box.isRegistered() && presence.presenceOf("box-a").online()
                && presence.presenceOf("box-a").itemsPresent().size() == 2);
    }

    @AfterEach
    void stopBox() {
        box.close();
    }

    @Test
    void detail_shows_place_live_state_locker_and_device_information() throws Exception {
        HttpResponse<String> response = api.send("GET", "/api/callboxes/box-a", "police", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode detail = json.readTree(response.body());
        assertThat(fields(detail)).containsExactlyInAnyOrder("endpoint", "village", "place", "lat", "lon", "unit",
                "online", "lastSeen", "sirenSounding", "lockerReady", "doorOpen", "items", "device", "tamper", "onMains",
                "batteryLow", "clockOffsetSeconds", "clockSkewed");
        assertThat(detail.path("endpoint").asText()).isEqualTo("box-a");
        assertThat(detail.path("village").asText()).isEqualTo("后山村");
        assertThat(detail.path("place").asText()).isEqualTo("后山场镇集市");
        assertThat(detail.path("lat").asDouble()).isEqualTo(30.81);
        assertThat(detail.path("lon").asDouble()).isEqualTo(108.41);
        assertThat(detail.path("unit").asText()).isEqualTo("unit-a");
        assertThat(detail.path("online").asBoolean()).isTrue();
        assertThat(detail.path("lastSeen").asText()).isEqualTo(T0.toString());
        assertThat(detail.path("sirenSounding").asBoolean()).isFalse();
        assertThat(detail.path("lockerReady").isNull()).isTrue();
        assertThat(detail.path("doorOpen").asBoolean(true)).isFalse();
        assertThat(json.convertValue(detail.path("items"), Map.class)).isEqualTo(Map.of("helmet", 3, "baton", 2));
        assertThat(detail.path("tamper").asBoolean(true)).isFalse();
        // the test box reports no power sources unless a test sets them
        assertThat(detail.path("onMains").isNull()).isTrue();
        assertThat(detail.path("batteryLow").asBoolean(true)).isFalse();
        JsonNode device = detail.path("device");
        assertThat(fields(device)).containsExactlyInAnyOrder("firmware", "battery", "signal", "manufacturer",
                "model", "serial", "readAt");
        assertThat(device.path("manufacturer").asText()).isEqualTo("callbox-test");
        assertThat(device.path("model").asText()).isEqualTo("test");
        assertThat(device.path("serial").asText()).isEqualTo("box-a");
        // the test box serves neither firmware nor battery, and has no modem (no object 4)
        assertThat(device.path("firmware").isNull()).isTrue();
        assertThat(device.path("battery").isNull()).isTrue();
        assertThat(device.path("signal").isNull()).isTrue();
        assertThat(device.path("readAt").asText()).isEqualTo(T0.toString());

        // a box never seen since the hub started: offline, nothing known, every field there
        JsonNode never = json.readTree(api.send("GET", "/api/callboxes/box-b", "admin", null).body());
        assertThat(never.path("online").asBoolean(true)).isFalse();
        assertThat(never.path("lastSeen").isNull()).isTrue();
        assertThat(never.path("doorOpen").isNull()).isTrue();
        assertThat(never.path("items").size()).isZero();
        assertThat(fields(never.path("device"))).hasSize(7);
        assertThat(never.path("device").path("serial").isNull()).isTrue();

        api.problem(api.send("GET", "/api/callboxes/nobody", "admin", null), 404, "callbox-not-found");
    }

    @Test
    void every_role_sees_a_box_but_a_unit_leader_only_their_units() throws Exception {
        for (String user : List.of("admin", "disp", "police", "leader-a")) {
            assertThat(api.send("GET", "/api/callboxes/box-a", user, null).statusCode()).as(user).isEqualTo(200);
        }
        api.problem(api.send("GET", "/api/callboxes/box-b", "leader-a", null), 403, "forbidden-unit");
        api.problem(api.send("GET", "/api/callboxes/box-a", null, null), 401, null);
    }

    @Test
    void actions_wait_for_the_box_and_are_audited_and_published() throws Exception {
        HttpResponse<String> test = api.send("POST", "/api/callboxes/box-a/actions", "disp",
                "{\"action\":\"siren-test\"}");
        assertThat(test.statusCode()).as(test.body()).isEqualTo(200);
        JsonNode result = json.readTree(test.body());
        assertThat(fields(result)).containsExactlyInAnyOrder("endpoint", "action", "ok", "code", "message");
        assertThat(result.path("endpoint").asText()).isEqualTo("box-a");
        assertThat(result.path("action").asText()).isEqualTo("siren-test");
        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("code").asText()).isEqualTo("CHANGED");
        assertThat(result.path("message").asText()).isNotBlank();
        assertThat(box.siren.sounding).isTrue();
        assertThat(box.siren.pattern).isEqualTo("test");
        assertThat(box.siren.duration).isEqualTo(5);

        assertThat(api.send("POST", "/api/callboxes/box-a/actions", "admin", "{\"action\":\"stop-siren\"}")
                .statusCode()).isEqualTo(200);
        assertThat(box.siren.sounding).isFalse();

        String text = "请注意：后山场镇集市今天下午三点进行应急演练。".repeat(10).substring(0, 200);
        HttpResponse<String> announced = api.send("POST", "/api/callboxes/box-a/actions", "disp",
                json.writeValueAsString(Map.of("action", "announce", "text", text)));
        assertThat(announced.statusCode()).as(announced.body()).isEqualTo(200);
        assertThat(box.loudspeaker.announcedText).isEqualTo(text);

        List<AuditEntry> entries = audit.latest(3);
        assertThat(entries).extracting(AuditEntry::action).containsExactly("announce", "stop-siren", "siren-test");
        assertThat(entries).extracting(AuditEntry::actor).containsExactly("disp", "admin", "disp");
        assertThat(entries).extracting(AuditEntry::target).containsOnly("box-a");
        assertThat(entries.get(2).detail()).startsWith("ok CHANGED");
        assertThat(entries.get(0).detail()).contains(text);

        List<RecordingFeed.Event> events = feed.events("callbox-action");
        assertThat(events).hasSizeGreaterThanOrEqualTo(3);
        RecordingFeed.Event last = events.get(events.size() - 1);
        assertThat(last.units()).containsExactly("unit-a");
        JsonNode payload = json.valueToTree(last.payload());
        assertThat(payload.path("endpoint").asText()).isEqualTo("box-a");
        assertThat(payload.path("action").asText()).isEqualTo("announce");
        assertThat(payload.path("ok").asBoolean()).isTrue();
        assertThat(payload.path("result").asText()).isEqualTo("ok");
        assertThat(payload.path("actor").asText()).isEqualTo("disp");
    }

    @Test
    void a_siren_test_while_the_box_sounds_its_alarm_is_409_busy_and_audited() throws Exception {
        box.siren.pattern = "alarm";
        box.siren.sounding = true;

        JsonNode busy = api.problem(api.send("POST", "/api/callboxes/box-a/actions", "disp",
                "{\"action\":\"siren-test\"}"), 409, "callbox-busy");

        assertThat(busy.path("code").asText()).isEqualTo("PRECONDITION_FAILED");
        assertThat(busy.path("action").asText()).isEqualTo("siren-test");
        assertThat(audit.latest(1).get(0).detail()).startsWith("busy PRECONDITION_FAILED");
        assertThat(box.siren.pattern).isEqualTo("alarm");
    }

    @Test
    void a_refusal_is_502_with_the_code_no_answer_504_and_an_unregistered_box_409() throws Exception {
        // Leshan's Device object of the test box does not implement Reboot
        JsonNode refused = api.problem(api.send("POST", "/api/callboxes/box-a/actions", "admin",
                "{\"action\":\"reboot\"}"), 502, "callbox-refused");
        assertThat(refused.path("code").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(audit.latest(1).get(0).detail()).startsWith("refused INTERNAL_SERVER_ERROR");

        api.problem(api.send("POST", "/api/callboxes/box-b/actions", "disp", "{\"action\":\"siren-test\"}"), 409,
                "callbox-offline");
        assertThat(audit.latest(1).get(0)).satisfies(e -> {
            assertThat(e.target()).isEqualTo("box-b");
            assertThat(e.detail()).startsWith("offline");
        });

        box.stopSilently();
        api.problem(api.send("POST", "/api/callboxes/box-a/actions", "disp", "{\"action\":\"siren-test\"}"), 504,
                "callbox-no-answer");
        assertThat(audit.latest(1).get(0).detail()).startsWith("no-answer");
        assertThat(box.siren.sounding).isFalse();
        RecordingFeed.Event last = feed.events("callbox-action").get(feed.events("callbox-action").size() - 1);
        assertThat(json.valueToTree(last.payload()).path("result").asText()).isEqualTo("no-answer");
    }

    @Test
    void bad_requests_and_other_roles_change_nothing() throws Exception {
        long auditedBefore = audit.latest(1000).size();
        String path = "/api/callboxes/box-a/actions";

        api.problem(api.send("POST", path, "disp", "{\"action\":\"explode\"}"), 400, "invalid-action");
        api.problem(api.send("POST", path, "disp", "{\"action\":\"announce\"}"), 400, "invalid-action");
        api.problem(api.send("POST", path, "disp", "{\"action\":\"announce\",\"text\":\"  \"}"), 400,
                "invalid-action");
        api.problem(api.send("POST", path, "disp",
                json.writeValueAsString(Map.of("action", "announce", "text", "长".repeat(201)))), 400,
                "invalid-action");
        api.problem(api.send("POST", path, "disp", "{not json"), 400, "malformed-body");
        api.problem(api.send("POST", path, "disp", null), 400, "malformed-body");
        api.problem(api.send("POST", "/api/callboxes/nobody/actions", "disp", "{\"action\":\"reboot\"}"), 404,
                "callbox-not-found");
        api.problem(api.send("POST", path, "police", "{\"action\":\"siren-test\"}"), 403, null);
        api.problem(api.send("POST", path, "leader-a", "{\"action\":\"siren-test\"}"), 403, null);
        // without credentials or a CSRF token: turned away before any controller (403 from the CSRF filter)
        assertThat(api.send("POST", path, null, "{\"action\":\"siren-test\"}").statusCode()).isIn(401, 403);

        assertThat(box.siren.sounding).isFalse();
        assertThat(box.loudspeaker.announcements).hasValue(0);
        assertThat(audit.latest(1000)).hasSize((int) auditedBefore);
    }

    /** box-a of unit-a at the market, box-b of unit-b at the bridge. */
    static final class Directory extends EmptyTownshipDirectory {
        private final Map<String, CallBoxInfo> boxes = Map.of(
                "box-a", new CallBoxInfo("box-a", "后山场镇集市", "p-a", "v1", "后山村", 30.81, 108.41, "unit-a"),
                "box-b", new CallBoxInfo("box-b", "石桥", "p-b", "v1", "后山村", 30.82, 108.42, "unit-b"));

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return Optional.ofNullable(boxes.get(endpoint));
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return List.of(boxes.get("box-a"), boxes.get("box-b"));
        }

        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return units().stream().filter(u -> u.id().equals(unitId)).findFirst();
        }

        @Override
        public List<UnitInfo> units() {
            return List.of(new UnitInfo("unit-a", "集市单元", "v1", "后山村", 30.8, 108.4, List.of("box-a")),
                    new UnitInfo("unit-b", "石桥单元", "v1", "后山村", 30.8, 108.4, List.of("box-b")));
        }
    }
}
