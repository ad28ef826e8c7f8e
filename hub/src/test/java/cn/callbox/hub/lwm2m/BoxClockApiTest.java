package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.incident.AlarmRules;
import cn.callbox.hub.rectification.RectificationService;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * A box whose clock is wrong, from a real Leshan box over DTLS to the hub's REST API and rectification tasks: the hub
 * reads the box's Current Time at registration and again on a heartbeat once 5 minutes have passed, and flags the box
 * beyond {@code callbox.alarms.clock-skew} (set to 90 s here, so that 100 s off is skewed only under the configured
 * bound, not the 2 min default). The box's clock is the hub's test clock plus an offset, so moving the hub's clock
 * moves both.
 */
@SpringBootTest(classes = BoxClockApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:box-clock-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1", "callbox.alarms.clock-skew=90s",
                "CALLBOX_ADMIN_PASSWORD=" + BoxClockApiTest.ADMIN_PASSWORD, BoxClockApiTest.ONLY_HERE + "=true" })
class BoxClockApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    /** Set only by this test: its slice is not picked up when another test scans this package. */
    static final String ONLY_HERE = "box-clock-api-test";

    /** The other tests' slices in the scanned packages stay out. */
    @SpringBootConfiguration
    @ConditionalOnProperty(ONLY_HERE)
    @EnableAutoConfiguration
    @EnableConfigurationProperties({ HubProperties.class, AlarmRules.class })
    @ComponentScan(basePackageClasses = { HubProperties.class, CallBoxPresence.class, LeshanServerLifecycle.class,
            RectificationService.class }, excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION,
                    classes = SpringBootConfiguration.class))
    @ComponentScan(basePackages = "cn.callbox.hub.boxes")
    static class Slice {

        @Bean
        @Primary
        MutableClock testClock() {
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
            return new CallBoxDetailApiTest.Directory();
        }

        @Bean
        BoxConditionApiTest.PublishedTasks publishedTasks() {
            return new BoxConditionApiTest.PublishedTasks();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "box-clock-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpoint lwm2m;

    @Autowired
    MutableClock hubClock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private HubApi api;
    private TestCallBox box;

    @BeforeEach
    void users() {
        api = HubApi.at(port, ADMIN_PASSWORD).withTimeout(Duration.ofSeconds(30));
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            new TestTownship(jdbc).township("t1", "后山镇", "万州区").village("v1", "t1", "后山村")
                    .units("v1", 30.8, 108.4, List.of("unit-a", "unit-b"));
            users.add("disp", "dispatcher", null);
        }
    }

    @AfterEach
    void stopBox() {
        if (box != null) {
            box.close();
        }
    }

    /**
     * Starts a box with its clock {@code offset} from the hub's (null: it does not serve its time), heartbeating every
     * {@link #HEARTBEAT}.
     */
    private void startBox(String endpoint, Duration offset) {
        box = TestCallBox.withPsk(lwm2m.secureUri(), endpoint, endpoint + "-psk", KEY, HEARTBEAT);
        if (offset != null) {
            setBoxClock(offset);
        }
        box.start();
        await().atMost(WAIT).until(box::isRegistered);
    }

    private void setBoxClock(Duration offset) {
        box.device.clock = Clock.offset(hubClock, offset);
    }

    private JsonNode detail(String endpoint) throws Exception {
        return api.ok(api.send("GET", "/api/callboxes/" + endpoint, "disp", null), 200);
    }

    private JsonNode clockTask(String endpoint) throws Exception {
        for (JsonNode task : api.ok(api.send("GET", "/api/rectifications", "disp", null), 200)) {
            if (task.path("reason").asText().equals("clock-skew") && task.path("subject").asText().equals(endpoint)) {
                return task;
            }
        }
        return null;
    }

    /** Lets {@code n} more heartbeats reach the hub. */
    private void heartbeats(int n) {
        int target = box.updates.get() + n;
        await().atMost(WAIT).until(() -> box.updates.get() >= target);
    }

    @Test
    void a_box_ten_minutes_ahead_is_flagged_at_registration_and_cleared_when_its_clock_is_put_right()
            throws Exception {
        startBox("box-a", Duration.ofMinutes(10));

        await().atMost(WAIT).until(() -> detail("box-a").path("clockOffsetSeconds").isNumber());
        JsonNode skewed = detail("box-a");
        assertThat(skewed.path("clockOffsetSeconds").asLong()).isEqualTo(600);
        assertThat(skewed.path("clockSkewed").asBoolean(false)).isTrue();
        await().atMost(WAIT).until(() -> clockTask("box-a") != null);
        JsonNode task = clockTask("box-a");
        assertThat(task.path("unit").asText()).isEqualTo("unit-a");
        assertThat(task.path("detail").asText()).contains("时钟偏差").contains("快 600 秒");

        // 100 s behind: within the 2 min default, beyond the configured 90 s; heartbeats within 5 minutes of the
        // last reading do not ask the box again
        setBoxClock(Duration.ofSeconds(-100));
        heartbeats(3);
        assertThat(detail("box-a").path("clockOffsetSeconds").asLong()).isEqualTo(600);
        hubClock.advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> detail("box-a").path("clockOffsetSeconds").asLong() == -100);
        assertThat(detail("box-a").path("clockSkewed").asBoolean(false)).isTrue();

        // NTP put it right
        setBoxClock(Duration.ZERO);
        hubClock.advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> detail("box-a").path("clockOffsetSeconds").asLong(99) == 0);
        assertThat(detail("box-a").path("clockSkewed").asBoolean(true)).isFalse();
        await().atMost(WAIT).until(() -> "rectified".equals(clockTask("box-a").path("state").asText()));
    }

    @Test
    void a_box_that_does_not_serve_its_time_shows_no_offset() throws Exception {
        startBox("box-b", null);
        hubClock.advance(Duration.ofMinutes(6));
        heartbeats(2);

        JsonNode detail = detail("box-b");
        assertThat(detail.has("clockOffsetSeconds")).isTrue();
        assertThat(detail.path("clockOffsetSeconds").isNull()).isTrue();
        assertThat(detail.path("clockSkewed").asBoolean(true)).isFalse();
        assertThat(clockTask("box-b")).isNull();
    }
}
