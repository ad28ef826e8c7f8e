package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static cn.callbox.hub.testing.HubApi.fields;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.response.SendResponse;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.firmware.FirmwareProperties;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.registry.RegistryService;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.hub.testing.UnknownUnitsReadiness;
import cn.callbox.protocol.lwm2m.PushButtonObject;

/**
 * The enrolment, key rotation, retirement and registry import APIs end to end: the hub's real HTTP security, registry
 * (keys encrypted at rest) over H2, device presence and LwM2M server (DTLS on a free port), with real Leshan test
 * boxes that register with the keys enrolled. Township houshan: village v1 (一村) with unit u1 (30.80, 108.40) and
 * point p1 (一村网格).
 */
@SpringBootTest(classes = EnrolmentApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:enrolment-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1",
                "callbox.firmware.trusted-keys=" + EnrolmentApiTest.FIRMWARE_KEY,
                "CALLBOX_ADMIN_PASSWORD=" + EnrolmentApiTest.ADMIN_PASSWORD })
class EnrolmentApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-enrolment";
    /** An Ed25519 public key the hub trusts for firmware (its private key is thrown away). */
    static final String FIRMWARE_KEY = "MCowBQYDK2VwAyEAORScFLK0a84W6oUMgHBzDoW7qiFZro3AoUAd0V2GDGM=";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Not a {@code @Configuration}: other tests' scans of this package must not pick it up; and its own scan leaves
     * out the other tests' nested slices.
     */
    @EnableAutoConfiguration
    @EnableConfigurationProperties({ HubProperties.class, FirmwareProperties.class })
    @ComponentScan(basePackageClasses = { HubProperties.class, CallBoxPresence.class, LeshanServerLifecycle.class,
            RegistryService.class }, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
                    pattern = ".*Test\\$.*"))
    @Import(UnknownUnitsReadiness.class)
    static class Slice {

        @Bean
        AlarmReceiver alarms() {
            return new Fakes.Alarms();
        }

        @Bean
        Fakes.Statuses statuses() {
            return new Fakes.Statuses();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "enrolment-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpoint lwm2m;

    @Autowired
    LeshanServerLifecycle server;

    @Autowired
    CallBoxPresence presence;

    @Autowired
    Fakes.Statuses statuses;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final ObjectMapper json = new ObjectMapper();
    private final List<TestCallBox> boxes = new ArrayList<>();
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
            users.add("disp", "dispatcher", null).add("police", "police", null);
        }
    }

    @AfterEach
    void closeBoxes() {
        boxes.forEach(TestCallBox::close);
    }

    // ------------------------------------------------------------------ enrol, register, retire, refused

    @Test
    void an_enrolled_box_registers_over_dtls_and_once_retired_is_dropped_at_once_and_refused() throws Exception {
        byte[] key = randomKey();
        JsonNode enrolled = api.ok(api.send("POST", "/api/callboxes", "admin", enrolment("cb-loop1", "后山村", "集市", 30.79,
                108.39, null, "cb-loop1", HexFormat.of().formatHex(key))), 201);

        assertThat(fields(enrolled)).containsExactlyInAnyOrder("endpoint", "village", "villageId", "point", "pointId",
                "unit", "lat", "lon", "hubUri", "firmwareKeys");
        assertThat(enrolled.path("firmwareKeys").toString()).as("the firmware keys the box is to trust")
                .isEqualTo("[\"" + FIRMWARE_KEY + "\"]");
        assertThat(enrolled.path("village").asText()).isEqualTo("后山村");
        assertThat(enrolled.path("villageId").asText()).startsWith("v-");
        assertThat(enrolled.path("point").asText()).isEqualTo("集市");
        assertThat(enrolled.path("unit").asText()).as("the nearest unit").isEqualTo("u1");
        assertThat(enrolled.path("lat").asDouble()).isEqualTo(30.79);
        String hubUri = enrolled.path("hubUri").asText();
        assertThat(hubUri).isEqualTo("coaps://127.0.0.1:" + lwm2m.secureUri().getPort());
        assertThat(endpoints(api.ok(api.send("GET", "/api/callboxes", "disp", null), 200))).contains("cb-loop1");
        assertThat(jdbc.sql("SELECT psk_key FROM callbox WHERE endpoint = 'cb-loop1'").query(String.class).single())
                .startsWith("v1:").doesNotContain(HexFormat.of().formatHex(key));

        TestCallBox box = box(TestCallBox.withPsk(URI.create(hubUri), "cb-loop1", "cb-loop1", key).start());
        await().atMost(WAIT).until(() -> box.isRegistered() && presence.presenceOf("cb-loop1").online());
        assertThat(box.send(alarm(1)).isSuccess()).as("the session works").isTrue();

        HttpResponse<String> retired = api.send("DELETE", "/api/callboxes/cb-loop1", "admin", null);

        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(204);
        assertThat(registration("cb-loop1")).as("dropped before the answer").isNull();
        assertThat(presence.presenceOf("cb-loop1").online()).isFalse();
        assertThat(statuses.last("cb-loop1")).hasValueSatisfying(s -> assertThat(s.online()).isFalse());
        assertThat(statuses.cleared).as("no retained status left for a retired box").containsExactly("cb-loop1");
        assertThat(endpoints(api.ok(api.send("GET", "/api/callboxes", "admin", null), 200))).doesNotContain("cb-loop1");
        assertThat(sessionGone(box)).as("the old DTLS session is gone").isTrue();
        assertThat(registration("cb-loop1")).isNull();

        box.close();
        TestCallBox again = box(TestCallBox.withPsk(URI.create(hubUri), "cb-loop1", "cb-loop1", key).start());
        again.awaitRegistrationFailure(WAIT);
        assertThat(registration("cb-loop1")).isNull();
        assertThat(presence.presenceOf("cb-loop1").online()).isFalse();

        assertThat(audited("callbox-enrol", "cb-loop1")).isEqualTo(1);
        assertThat(audited("callbox-retire", "cb-loop1")).isEqualTo(1);
        assertThat(problem(api.send("DELETE", "/api/callboxes/cb-loop1", "admin", null), 404).path("type").asText())
                .isEqualTo("urn:callbox:problem:callbox-not-found");
        assertThat(problem(api.send("POST", "/api/callboxes", "admin", enrolment("cb-loop1", "一村", "p1", 30.8, 108.4,
                null, "cb-loop1-b", HexFormat.of().formatHex(key))), 409).path("type").asText())
                .as("a retired endpoint is never reused").isEqualTo("urn:callbox:problem:callbox-taken");
    }

    @Test
    void after_a_key_rotation_the_old_key_fails_at_once_and_the_new_one_works() throws Exception {
        byte[] oldKey = randomKey();
        byte[] newKey = randomKey();
        JsonNode enrolled = api.ok(api.send("POST", "/api/callboxes", "admin", enrolment("cb-rot1", "v1", "p1", 30.80,
                108.40, "u1", "cb-rot1", HexFormat.of().formatHex(oldKey))), 201);
        assertThat(enrolled.path("pointId").asText()).isEqualTo("p1");
        URI hub = URI.create(enrolled.path("hubUri").asText());
        TestCallBox box = box(TestCallBox.withPsk(hub, "cb-rot1", "cb-rot1", oldKey).start());
        await().atMost(WAIT).until(() -> box.isRegistered() && registration("cb-rot1") != null);

        JsonNode rotated = api.ok(api.send("PUT", "/api/callboxes/cb-rot1/key", "admin",
                "{\"pskIdentity\":\"cb-rot1\",\"pskKey\":\"" + HexFormat.of().formatHex(newKey) + "\"}"), 200);

        assertThat(rotated.toString()).isEqualTo("{\"endpoint\":\"cb-rot1\",\"pskIdentity\":\"cb-rot1\"}");
        assertThat(registration("cb-rot1")).as("dropped before the answer").isNull();
        assertThat(sessionGone(box)).as("the old key's DTLS session is gone").isTrue();
        // the same client registers again: the REGISTER needs a new handshake, which the old key fails
        box.stopSilently();
        box.start();
        box.awaitRegistrationFailure(WAIT);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> registration("cb-rot1") == null && !presence.presenceOf("cb-rot1").online());
        box.close();

        TestCallBox withOldKey = box(TestCallBox.withPsk(hub, "cb-rot1", "cb-rot1", oldKey).start());
        withOldKey.awaitRegistrationFailure(WAIT);
        assertThat(registration("cb-rot1")).isNull();
        withOldKey.close();

        TestCallBox withNewKey = box(TestCallBox.withPsk(hub, "cb-rot1", "cb-rot1", newKey).start());
        await().atMost(WAIT).until(() -> withNewKey.isRegistered() && presence.presenceOf("cb-rot1").online());
        assertThat(audited("callbox-rotate-key", "cb-rot1")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?")
                .param("%" + HexFormat.of().formatHex(newKey) + "%").query(Long.class).single())
                .as("keys are never audited").isZero();
    }

    // ------------------------------------------------------------------ roles and validation

    @Test
    void only_admins_enrol_rotate_retire_or_import_and_a_refused_request_changes_nothing() throws Exception {
        String key = HexFormat.of().formatHex(randomKey());
        api.ok(api.send("POST", "/api/callboxes", "admin", enrolment("cb-keep", "一村", "一村网格", 30.8, 108.4, null,
                "cb-keep", key)), 201);
        for (String user : List.of("disp", "police")) {
            problem(api.send("POST", "/api/callboxes", user, enrolment("cb-role", "一村", "一村网格", 30.8, 108.4, null,
                    "cb-role", key)), 403);
            problem(api.send("PUT", "/api/callboxes/cb-keep/key", user,
                    "{\"pskIdentity\":\"cb-keep-2\",\"pskKey\":\"" + key + "\"}"), 403);
            problem(api.send("DELETE", "/api/callboxes/cb-keep", user, null), 403);
            problem(api.send("POST", "/api/registry/import", user,
                    "{\"villages\":[{\"id\":\"v-role\",\"name\":\"x\"}]}"), 403);
        }
        assertThat(api.send("DELETE", "/api/callboxes/cb-keep", null, null).statusCode()).isEqualTo(401);

        assertThat(count("SELECT COUNT(*) FROM callbox WHERE endpoint = 'cb-role'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM callbox WHERE endpoint = 'cb-keep' AND retired_at IS NULL"
                + " AND psk_identity = 'cb-keep'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM village WHERE id = 'v-role'")).isZero();
    }

    @Test
    void bad_requests_are_refused_naming_the_rule_and_change_nothing() throws Exception {
        String key = HexFormat.of().formatHex(randomKey());
        long before = count("SELECT COUNT(*) FROM callbox");
        assertThat(rule(api.send("POST", "/api/callboxes", "admin", enrolment("CB-Bad", "一村", "集市", 30.8, 108.4, null,
                "cb-bad", key)))).isEqualTo("device-id");
        assertThat(rule(api.send("POST", "/api/callboxes", "admin", enrolment("cb-bad", "一村", "集市", 30.8, 108.4, null,
                "cb-bad", "0011")))).isEqualTo("psk-key-hex");
        assertThat(rule(api.send("POST", "/api/callboxes", "admin", enrolment("cb-bad", "一村", "集市", 48.85, 2.35, null,
                "cb-bad", key)))).isEqualTo("china-coordinates");
        assertThat(rule(api.send("POST", "/api/callboxes", "admin", "{\"endpoint\":\"cb-bad\",\"point\":\"集市\","
                + "\"lat\":30.8,\"lon\":108.4,\"pskIdentity\":\"cb-bad\",\"pskKey\":\"" + key + "\"}")))
                .isEqualTo("required-field");
        assertThat(rule(api.send("POST", "/api/callboxes", "admin", enrolment("cb-bad", "一村", "集市", 30.8, 108.4, "nope",
                "cb-bad", key)))).isEqualTo("known-reference");
        problem(api.send("POST", "/api/callboxes", "admin", "{not json"), 400);
        assertThat(count("SELECT COUNT(*) FROM callbox")).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM point WHERE name = '集市' AND village_id = 'v1'")).isZero();

        problem(api.send("PUT", "/api/callboxes/nope/key", "admin", "{\"pskIdentity\":\"nope\",\"pskKey\":\"" + key
                + "\"}"), 404);
        problem(api.send("DELETE", "/api/callboxes/nope", "admin", null), 404);
        HttpResponse<String> leaky = api.send("POST", "/api/callboxes", "admin", enrolment("cb-bad", "一村", "集市", 30.8,
                108.4, null, "cb-bad", key + "zz"));
        assertThat(leaky.body()).doesNotContain(key);
    }

    // ------------------------------------------------------------------ registry import

    @Test
    void a_registry_is_imported_whole_or_not_at_all() throws Exception {
        StringBuilder members = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            members.append(i == 1 ? "" : ",").append("{\"id\":\"im-m").append(i)
                    .append("\",\"unit\":\"im-u\",\"name\":\"队员").append(i)
                    .append("\",\"role\":\"民兵\",\"resident\":true}");
        }
        StringBuilder days = new StringBuilder();
        for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
            days.append(days.length() == 0 ? "" : ",").append("{\"unit\":\"im-u\",\"day\":\"").append(day)
                    .append("\",\"leader\":\"im-m1\",\"onDuty\":[\"im-m2\",\"im-m3\"]}");
        }
        String good = "{\"villages\":[{\"id\":\"im-v\",\"name\":\"导入村\"}],"
                + "\"points\":[{\"id\":\"im-p\",\"villageId\":\"im-v\",\"name\":\"导入村集市\",\"kind\":\"market\","
                + "\"lat\":30.7,\"lon\":108.3,\"unit\":\"im-u\"}],"
                + "\"units\":[{\"id\":\"im-u\",\"name\":\"导入村单元\",\"villageId\":\"im-v\",\"homePoint\":\"im-p\","
                + "\"lat\":30.7,\"lon\":108.3}],"
                + "\"members\":[" + members + "],\"dutyPatterns\":[" + days + "]}";
        String bad = good.replace("{\"id\":\"im-m4\",\"unit\":\"im-u\"", "{\"id\":\"im-m4\",\"unit\":\"im-x\"");

        JsonNode refused = problem(api.send("POST", "/api/registry/import", "admin", bad), 422);
        assertThat(refused.path("type").asText()).isEqualTo("urn:callbox:problem:registry-import");
        assertThat(refused.path("errors").toString()).contains("\"path\":\"members[3].unit\"",
                "\"rule\":\"known-reference\"");
        assertThat(count("SELECT COUNT(*) FROM village WHERE id = 'im-v'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM member WHERE unit_id = 'im-u'")).isZero();

        JsonNode counts = api.ok(api.send("POST", "/api/registry/import", "admin", good), 200);
        assertThat(counts.toString()).isEqualTo(
                "{\"villages\":1,\"points\":1,\"units\":1,\"members\":5,\"dutyPatterns\":7}");
        assertThat(count("SELECT COUNT(*) FROM duty_pattern WHERE unit_id = 'im-u'")).isEqualTo(21);
        assertThat(audited("registry-import", "registry")).isEqualTo(1);
        assertThat(problem(api.send("POST", "/api/registry/import", "admin", good), 422).path("errors").toString())
                .contains("unique-id");
    }

    // ------------------------------------------------------------------ helpers

    private TestCallBox box(TestCallBox box) {
        boxes.add(box);
        return box;
    }

    private Object registration(String endpoint) {
        return server.server().orElseThrow().getRegistrationService().getByEndpoint(endpoint);
    }

    /**
     * An LwM2M Send over the box's current DTLS session gets no answer at all when the hub ended that session (a
     * session the hub still held would carry the hub's refusal, an error response, back).
     */
    private static boolean sessionGone(TestCallBox box) {
        try {
            SendResponse response = box.send(alarm(2));
            return response == null;
        } catch (Exception e) {
            return true;
        }
    }

    private static TimestampedLwM2mNodes alarm(long sequence) {
        Instant at = Instant.now();
        return new TimestampedLwM2mNodes.Builder()
                .put(at, new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.STATE),
                        LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, true))
                .put(at, new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.COUNTER),
                        LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, sequence))
                .build();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return key;
    }

    private String enrolment(String endpoint, String village, String point, double lat, double lon, String unit,
            String identity, String key) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("endpoint", endpoint);
        body.put("village", village);
        body.put("point", point);
        body.put("lat", lat);
        body.put("lon", lon);
        if (unit != null) {
            body.put("unit", unit);
        }
        body.put("pskIdentity", identity);
        body.put("pskKey", key);
        return json.writeValueAsString(body);
    }

    private String rule(HttpResponse<String> response) throws Exception {
        JsonNode problem = problem(response, 422);
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:registry-rule");
        return problem.path("rule").asText();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private long audited(String action, String target) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ? AND target = ?").params(action, target)
                .query(Long.class).single();
    }

    private static List<String> endpoints(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.path("endpoint").asText()));
        return ids;
    }

    /**
     * Problem details as this test has always checked them: the status, the type and a non-blank {@code detail}, but
     * not the {@code status} member that {@link HubApi#problem} also checks.
     */
    private JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }
}
