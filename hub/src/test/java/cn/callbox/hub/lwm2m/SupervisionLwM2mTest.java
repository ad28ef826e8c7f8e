package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.supervision.SelfTestCommand;
import cn.callbox.hub.supervision.SelfTestCommand.SelfTestOutcome;
import cn.callbox.hub.supervision.SupervisionProperties;
import cn.callbox.hub.system.HubProperties;

/**
 * Supervision against real Leshan clients over loopback DTLS, in real time: boxes with the call box's 20 s heartbeat,
 * the hub's 45 s silence bound swept every second. A stopped box must be shown offline (status published) within 60 s
 * of stopping, a running one must never be; and the self-test runs end to end.
 */
class SupervisionLwM2mTest {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisionLwM2mTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);

    private final Fakes.Keys keys = new Fakes.Keys().add("box-a", "box-a-psk", KEY).add("box-b", "box-b-psk", KEY);
    private final Fakes.Statuses statuses = new Fakes.Statuses();
    private final Map<String, Instant> wentOffline = new ConcurrentHashMap<>();
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(statuses, (e, d, i) -> {
    }, (endpoint, p) -> {
        if (!p.online()) {
            wentOffline.putIfAbsent(endpoint, Instant.now());
        }
    });
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
    private LeshanServerLifecycle server;
    private TestCallBox boxA;
    private TestCallBox boxB;

    @AfterEach
    void tearDown() {
        sweeper.shutdownNow();
        for (TestCallBox box : new TestCallBox[] { boxA, boxB }) {
            if (box != null) {
                box.close();
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    private void givenServerAndSweep() {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, null, "127.0.0.1", null), keys,
                new Fakes.Alarms(), presence, clock);
        server.start();
        // what the hub's supervision ticker does each second (Supervisor.tick's sweep)
        Duration bound = SupervisionProperties.defaults().silenceBound();
        sweeper.scheduleWithFixedDelay(() -> presence.offlineIfSilent(clock.instant().minus(bound)), 1, 1,
                TimeUnit.SECONDS);
    }

    private TestCallBox givenRegisteredBox(String endpoint) {
        TestCallBox box = TestCallBox.withPsk(server.secureUri(), endpoint, endpoint + "-psk", KEY, HEARTBEAT)
                .start();
        await().atMost(WAIT).until(() -> box.isRegistered() && presence.presenceOf(endpoint).online());
        return box;
    }

    @Test
    void stopped_box_is_offline_within_60_s_and_a_running_box_stays_online() {
        givenServerAndSweep();
        boxA = givenRegisteredBox("box-a");
        boxB = givenRegisteredBox("box-b");
        Instant bRegistered = presence.presenceOf("box-b").lastSeen();

        // stopped right after it was heard: the worst case for detection
        Instant stoppedAt = Instant.now();
        boxA.stopSilently();
        await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(100))
                .until(() -> !presence.presenceOf("box-a").online());

        Instant offlineAt = wentOffline.get("box-a");
        Instant lastHeard = presence.presenceOf("box-a").lastSeen();
        Duration afterStop = Duration.between(stoppedAt, offlineAt);
        Duration afterLastHeard = Duration.between(lastHeard, offlineAt);
        LOG.info("Offline detection: {} ms after the box stopped, {} ms after it was last heard",
                afterStop.toMillis(), afterLastHeard.toMillis());
        assertThat(afterStop).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(afterLastHeard).isBetween(Duration.ofSeconds(45), Duration.ofSeconds(47));
        assertThat(statuses.last("box-a")).get().satisfies(s -> assertThat(s.online()).isFalse());

        // box-b sent its heartbeats all along (two by now): never offline, also not a moment after box-a
        assertThat(presence.presenceOf("box-b").lastSeen()).isAfter(bRegistered.plus(Duration.ofSeconds(30)));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> presence.presenceOf("box-b").online());
        assertThat(wentOffline).doesNotContainKey("box-b");
        assertThat(statuses.published).filteredOn(e -> e.getKey().equals("box-b"))
                .allSatisfy(e -> assertThat(e.getValue().online()).isTrue());

        // box-a comes back: online again
        boxA.start();
        await().atMost(WAIT).until(() -> presence.presenceOf("box-a").online());
        assertThat(statuses.last("box-a")).get().satisfies(s -> assertThat(s.online()).isTrue());
    }

    @Test
    void self_test_is_executed_and_its_error_codes_read() throws Exception {
        givenServerAndSweep();
        boxA = givenRegisteredBox("box-a");
        LeshanSelfTestCommand command = new LeshanSelfTestCommand(server, 5_000);

        CompletableFuture<SelfTestOutcome> passed = new CompletableFuture<>();
        command.runSelfTest("box-a", passed::complete);
        assertThat(passed.get(10, TimeUnit.SECONDS)).isEqualTo(new SelfTestOutcome(true, List.of()));
        assertThat(boxA.locker.selfTestArguments).as("silent: no arguments").isEmpty();

        boxA.locker.selfTestCodes = List.of(20L, 21L);
        CompletableFuture<SelfTestOutcome> audible = new CompletableFuture<>();
        command.runSelfTest("box-a", SelfTestCommand.Mode.AUDIBLE, audible::complete);
        assertThat(audible.get(10, TimeUnit.SECONDS))
                .isEqualTo(new SelfTestOutcome(false, List.of("current-sensor", "speech")));
        assertThat(boxA.locker.selfTestArguments).isEqualTo("0='audible'");

        boxA.locker.selfTestCodes = List.of(16L, 18L);
        CompletableFuture<SelfTestOutcome> failed = new CompletableFuture<>();
        command.runSelfTest("box-a", failed::complete);
        assertThat(failed.get(10, TimeUnit.SECONDS))
                .isEqualTo(new SelfTestOutcome(false, List.of("siren-relay", "tamper")));
        assertThat(boxA.locker.selfTests).hasValue(3);

        CompletableFuture<SelfTestOutcome> unknown = new CompletableFuture<>();
        command.runSelfTest("nobody", unknown::complete);
        assertThat(unknown.get(1, TimeUnit.SECONDS)).isEqualTo(SelfTestOutcome.failed("not-registered"));
    }
}
