package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.rectification.RectificationPublisher;
import cn.callbox.hub.rectification.RectificationService;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.RecordingFeed;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.protocol.mqtt.CallBoxStatus;

/**
 * An opened enclosure, mains loss and a low battery, from a real Leshan box over DTLS to the hub's REST API, its status
 * publication and rectification tasks: the hub's real LwM2M server, presence, rectification loop and HTTP security
 * over H2; the registry is a fake directory.
 */
@SpringBootTest(classes = BoxConditionApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:box-condition-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1",
                "CALLBOX_ADMIN_PASSWORD=" + BoxConditionApiTest.ADMIN_PASSWORD, BoxConditionApiTest.ONLY_HERE + "=true" })
class BoxConditionApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Set only by this test: its slice is not picked up when another test scans this package. */
    static final String ONLY_HERE = "box-condition-api-test";

    /** The other tests' slices in the scanned packages stay out. */
    @SpringBootConfiguration
    @ConditionalOnProperty(ONLY_HERE)
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = { HubProperties.class, CallBoxPresence.class, LeshanServerLifecycle.class,
            RectificationService.class }, excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION,
                    classes = SpringBootConfiguration.class))
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
            return new CallBoxDetailApiTest.Directory();
        }

        @Bean
        @Primary
        RecordingFeed recordingFeed() {
            return new RecordingFeed();
        }

        @Bean
        Fakes.Statuses statuses() {
            return new Fakes.Statuses();
        }

        @Bean
        PublishedTasks publishedTasks() {
            return new PublishedTasks();
        }
    }

    /** The rectification topic, recorded. */
    static final class PublishedTasks implements RectificationPublisher {
        final List<String> json = new CopyOnWriteArrayList<>();

        @Override
        public void publishRectification(String taskId, String taskJson) {
            json.add(taskJson);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "box-condition-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpoint lwm2m;

    @Autowired
    CallBoxPresence presence;

    @Autowired
    Fakes.Statuses statuses;

    @Autowired
    PublishedTasks tasks;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    private final ObjectMapper json = new ObjectMapper();
    private HubApi api;
    private TestCallBox box;

    @BeforeEach
    void usersAndBox() {
        api = HubApi.at(port, ADMIN_PASSWORD).withTimeout(Duration.ofSeconds(30));
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("disp")) {
            new TestTownship(jdbc).township("t1", "后山镇", "万州区").village("v1", "t1", "后山村")
                    .units("v1", 30.8, 108.4, List.of("unit-a", "unit-b"));
            users.add("disp", "dispatcher", null);
        }
        box = TestCallBox.withPsk(lwm2m.secureUri(), "box-a", "box-a-psk", KEY);
        // a box with an AC-OK input and a battery gauge, on mains, its enclosure shut
        box.device.powerSources = Map.of(0, 6L, 1, 1L);
        box.device.batteryLevel = 80L;
        box.start();
        await().atMost(WAIT).until(() -> box.isRegistered() && Boolean.TRUE.equals(presence.presenceOf("box-a")
                .onMains()) && Integer.valueOf(80).equals(presence.presenceOf("box-a").batteryLevel())
                && presence.presenceOf("box-a").tamper() != null);
    }

    @AfterEach
    void stopBox() {
        box.close();
    }

    private JsonNode detail() throws Exception {
        return api.ok(api.send("GET", "/api/callboxes/box-a", "disp", null), 200);
    }

    /** The tasks of box-a as {@code GET /api/rectifications} lists them. */
    private List<JsonNode> tasksOfBox() throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode task : api.ok(api.send("GET", "/api/rectifications", "disp", null), 200)) {
            if (task.toString().contains("box-a")) {
                found.add(task);
            }
        }
        return found;
    }

    private JsonNode taskOf(String reason) throws Exception {
        return tasksOfBox().stream().filter(t -> t.path("reason").asText().equals(reason)).findFirst().orElse(null);
    }

    @Test
    void an_opened_enclosure_and_mains_loss_show_at_once_and_open_tasks_that_the_box_rectifies() throws Exception {
        JsonNode before = detail();
        assertThat(before.path("tamper").asBoolean(true)).isFalse();
        assertThat(before.path("onMains").asBoolean(false)).isTrue();
        assertThat(taskOf("tamper")).isNull();
        assertThat(taskOf("mains-lost")).isNull();

        box.locker.setTamper(true);
        box.device.setOnMains(false);

        // what the acceptance check does: poll the box until both show
        await().atMost(WAIT).until(() -> {
            JsonNode now = detail();
            return now.path("tamper").asBoolean(false) && !now.path("onMains").asBoolean(true);
        });
        assertThat(statuses.last("box-a")).get().satisfies(s -> {
            assertThat(s.tamper()).isTrue();
            assertThat(s.onMains()).isFalse();
        });
        await().atMost(WAIT).until(() -> taskOf("tamper") != null && taskOf("mains-lost") != null);
        JsonNode tamper = taskOf("tamper");
        assertThat(tamper.toString()).contains("box-a").contains("tamper");
        assertThat(tamper.path("unit").asText()).isEqualTo("unit-a");
        assertThat(tamper.path("subject").asText()).isEqualTo("box-a");
        assertThat(tamper.path("detail").asText()).contains("箱体被打开");
        assertThat(taskOf("mains-lost").path("detail").asText()).contains("市电中断");
        assertThat(tasks.json).anySatisfy(t -> assertThat(t).contains("\"reason\":\"tamper\"").contains("box-a"));

        // lid shut, mains back: the sensors rectify both, staff verify
        box.locker.setTamper(false);
        box.device.setOnMains(true);
        await().atMost(WAIT).until(() -> "rectified".equals(taskOf("tamper").path("state").asText())
                && "rectified".equals(taskOf("mains-lost").path("state").asText()));
        JsonNode after = detail();
        assertThat(after.path("tamper").asBoolean(true)).isFalse();
        assertThat(after.path("onMains").asBoolean(false)).isTrue();
        assertThat(statuses.last("box-a")).get().isEqualTo(new CallBoxStatus(true,
                statuses.last("box-a").get().lastSeen(), false, null, false, true));
    }

    @Test
    void a_low_battery_is_flagged_and_opens_one_task() throws Exception {
        assertThat(detail().path("batteryLow").asBoolean(true)).isFalse();

        box.device.setBatteryLevel(25);
        await().atMost(WAIT).until(() -> detail().path("batteryLow").asBoolean(false));
        box.device.setBatteryLevel(24);
        await().atMost(WAIT).until(() -> Integer.valueOf(24).equals(presence.presenceOf("box-a").batteryLevel()));
        await().atMost(WAIT).until(() -> taskOf("low-battery") != null);
        assertThat(tasksOfBox()).filteredOn(t -> t.path("reason").asText().equals("low-battery")).hasSize(1);
        assertThat(taskOf("low-battery").path("detail").asText()).contains("25%");

        box.device.setBatteryLevel(45);
        await().atMost(WAIT).until(() -> "rectified".equals(taskOf("low-battery").path("state").asText()));
        assertThat(detail().path("batteryLow").asBoolean(true)).isFalse();
    }
}
