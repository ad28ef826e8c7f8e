package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.model.LwM2mModelRepository;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxActions.Action;
import cn.callbox.hub.device.CallBoxActions.Outcome;
import cn.callbox.hub.device.CallBoxActions.Result;
import cn.callbox.hub.device.DeviceInfo;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.lwm2m.ObjectModels;

/**
 * The console's call-box actions and device information against real Leshan clients over loopback DTLS: each action
 * waits for the box's answer and says how it went (done, refused with the CoAP code, no answer, not registered); the
 * device information is read on registration, cached for a minute and kept when the box falls silent.
 */
class CallBoxActionsLwM2mTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    private static final long TIMEOUT_MILLIS = 1_500;

    private final Fakes.Keys keys = new Fakes.Keys().add("box-a", "box-a-psk", KEY).add("box-i", "box-i-psk", KEY);
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(new Fakes.Statuses(), (e, d, i) -> {
    });
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T02:00:00Z"));
    private LeshanServerLifecycle server;
    private LeshanDeviceInfoReader reader;
    private TestCallBox box;
    private LeshanClient infoBox;

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
        if (infoBox != null) {
            infoBox.destroy(false);
        }
        if (reader != null) {
            reader.stop();
        }
        if (server != null) {
            server.stop();
        }
    }

    private LeshanCallBoxActions givenServer() {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, null, "127.0.0.1", null), keys,
                new Fakes.Alarms(), presence, clock);
        server.start();
        reader = new LeshanDeviceInfoReader(server, clock, TIMEOUT_MILLIS);
        reader.start();
        return new LeshanCallBoxActions(server, TIMEOUT_MILLIS);
    }

    private TestCallBox givenRegisteredBox() {
        TestCallBox registered = TestCallBox.withPsk(server.secureUri(), "box-a", "box-a-psk", KEY).start();
        await().atMost(WAIT).until(() -> registered.isRegistered() && presence.presenceOf("box-a").online());
        return registered;
    }

    @Test
    void siren_test_stop_and_announcement_are_carried_out_and_answered() {
        LeshanCallBoxActions actions = givenServer();
        box = givenRegisteredBox();

        Outcome test = actions.run("box-a", Action.SIREN_TEST, null);
        assertThat(test.result()).isEqualTo(Result.OK);
        assertThat(test.code()).isEqualTo("CHANGED");
        assertThat(box.siren.sounding).isTrue();
        assertThat(box.siren.pattern).isEqualTo("test");
        assertThat(box.siren.duration).isEqualTo(5);

        Outcome stop = actions.run("box-a", Action.STOP_SIREN, null);
        assertThat(stop.ok()).isTrue();
        assertThat(box.siren.sounding).isFalse();

        Outcome announced = actions.run("box-a", Action.ANNOUNCE, "请注意：明天上午九点演练");
        assertThat(announced.ok()).isTrue();
        assertThat(announced.code()).isEqualTo("CHANGED");
        // answered means done: the box took the text and started the announcement before the call returned
        assertThat(box.loudspeaker.announcedText).isEqualTo("请注意：明天上午九点演练");
        assertThat(box.loudspeaker.announcements).hasValue(1);
    }

    @Test
    void a_siren_test_at_a_box_sounding_its_alarm_is_busy_not_refused_and_the_alarm_sounds_on() {
        LeshanCallBoxActions actions = givenServer();
        box = givenRegisteredBox();
        box.siren.pattern = "alarm";
        box.siren.sounding = true; // a villager pressed the button

        Outcome test = actions.run("box-a", Action.SIREN_TEST, null);

        assertThat(test.result()).isEqualTo(Result.BUSY);
        assertThat(test.code()).isEqualTo("PRECONDITION_FAILED");
        assertThat(test.message()).contains("higher priority").contains("alarm");
        assertThat(box.siren.pattern).isEqualTo("alarm");
        assertThat(box.siren.sounding).isTrue();

        assertThat(actions.run("box-a", Action.STOP_SIREN, null).ok()).as("stop still stops the alarm").isTrue();
        assertThat(box.siren.sounding).isFalse();
    }

    @Test
    void a_refusal_gives_the_boxs_code_and_a_silent_box_no_answer() {
        LeshanCallBoxActions actions = givenServer();
        box = givenRegisteredBox();

        // the test box's Device object (Leshan's) does not implement Reboot
        Outcome reboot = actions.run("box-a", Action.REBOOT, null);
        assertThat(reboot.result()).isEqualTo(Result.REFUSED);
        assertThat(reboot.code()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(reboot.message()).contains("/3/0/4");

        // still registered at the hub, but no longer listening
        box.stopSilently();
        long start = System.nanoTime();
        Outcome silent = actions.run("box-a", Action.SIREN_TEST, null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(silent.result()).isEqualTo(Result.NO_ANSWER);
        assertThat(silent.code()).isNull();
        assertThat(took).isBetween(Duration.ofMillis(TIMEOUT_MILLIS - 100), Duration.ofMillis(TIMEOUT_MILLIS + 3_000));
        assertThat(box.siren.sounding).isFalse();
    }

    @Test
    void a_box_that_is_not_registered_is_offline_and_nothing_is_sent() {
        LeshanCallBoxActions actions = givenServer();

        assertThat(actions.run("box-a", Action.STOP_SIREN, null).result()).isEqualTo(Result.OFFLINE);
        assertThat(actions.run("nobody", Action.REBOOT, null).result()).isEqualTo(Result.OFFLINE);
        assertThat(actions.run(null, Action.REBOOT, null).result()).isEqualTo(Result.OFFLINE);
        server.stop();
        assertThat(actions.run("box-a", Action.SIREN_TEST, null).result()).isEqualTo(Result.OFFLINE);
    }

    @Test
    void device_information_is_read_on_registration_cached_for_a_minute_and_kept_when_the_box_is_silent() {
        givenServer();
        InfoDevice device = new InfoDevice();
        Connectivity connectivity = new Connectivity();
        infoBox = infoBox(server.secureUri(), device, connectivity);
        infoBox.start();

        // read on registration, without anyone asking
        await().atMost(WAIT).untilAsserted(() -> assertThat(device.reads).hasValue(1));
        await().atMost(WAIT).until(() -> reader.deviceInfo("box-i").isPresent());
        DeviceInfo first = reader.deviceInfo("box-i").orElseThrow();
        assertThat(first).isEqualTo(new DeviceInfo("1.4.2", 87, -71, "callbox.cn", "CallBox Pi", "SN-0001",
                clock.instant()));
        assertThat(device.reads).hasValue(1);

        // within a minute: the cached values, the box is not asked again
        clock.advance(Duration.ofSeconds(59));
        device.battery = 60;
        assertThat(reader.deviceInfo("box-i")).hasValueSatisfying(i -> assertThat(i.battery()).isEqualTo(87));
        assertThat(device.reads).hasValue(1);

        // older than a minute: asked again on request
        clock.advance(Duration.ofSeconds(2));
        connectivity.signal = -90;
        DeviceInfo second = reader.deviceInfo("box-i").orElseThrow();
        assertThat(second.battery()).isEqualTo(60);
        assertThat(second.signal()).isEqualTo(-90);
        assertThat(second.readAt()).isEqualTo(clock.instant());
        assertThat(device.reads).hasValue(2);

        // a silent box: its last values with their time
        infoBox.stop(false);
        clock.advance(Duration.ofMinutes(5));
        assertThat(reader.deviceInfo("box-i")).contains(second);
        assertThat(reader.deviceInfo("unknown")).isEmpty();
    }

    @Test
    void a_box_without_firmware_battery_or_modem_gives_nulls() {
        givenServer();
        box = givenRegisteredBox();

        DeviceInfo info = reader.deviceInfo("box-a").orElseThrow();
        assertThat(info.manufacturer()).isEqualTo("callbox-test");
        assertThat(info.serial()).isEqualTo("box-a");
        assertThat(info.firmware()).isNull();
        assertThat(info.battery()).isNull();
        assertThat(info.signal()).isNull();
    }

    private static LeshanClient infoBox(URI serverUri, InfoDevice device, Connectivity connectivity) {
        ObjectsInitializer objects = new ObjectsInitializer(
                new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel());
        objects.setInstancesForObject(LwM2mId.SECURITY, Security.psk(serverUri.toString(), 123,
                "box-i-psk".getBytes(StandardCharsets.UTF_8), KEY));
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(123, 300));
        objects.setInstancesForObject(LwM2mId.DEVICE, device);
        objects.setInstancesForObject(LwM2mId.CONNECTIVITY_MONITORING, connectivity);
        LeshanClientBuilder builder = new LeshanClientBuilder("box-i");
        builder.setObjects(objects.createAll());
        builder.setEndpointsProviders(
                new CaliforniumClientEndpointsProvider.Builder(new CoapsClientProtocolProvider()).build());
        return builder.build();
    }

    /** Object 3 as the edge serves it; counts the reads of the whole object (one firmware read each). */
    public static class InfoDevice extends BaseInstanceEnabler {
        final AtomicInteger reads = new AtomicInteger();
        volatile long battery = 87;

        public InfoDevice() {
            super(0);
        }

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(0, 1, 2, 3, 9, 16);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case 0 -> ReadResponse.success(resourceId, "callbox.cn");
            case 1 -> ReadResponse.success(resourceId, "CallBox Pi");
            case 2 -> ReadResponse.success(resourceId, "SN-0001");
            case 3 -> {
                reads.incrementAndGet();
                yield ReadResponse.success(resourceId, "1.4.2");
            }
            case 9 -> ReadResponse.success(resourceId, battery);
            case 16 -> ReadResponse.success(resourceId, "U");
            default -> super.read(server, resourceId);
            };
        }
    }

    /** Object 4: its mandatory resources (bearer 0, available bearers 1, signal 2, IP addresses 4). */
    public static class Connectivity extends BaseInstanceEnabler {
        volatile long signal = -71;

        public Connectivity() {
            super(0);
        }

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(0, 1, 2, 4);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case 0 -> ReadResponse.success(resourceId, 6L);
            case 1 -> ReadResponse.success(resourceId, Map.of(0, 6L), Type.INTEGER);
            case 2 -> ReadResponse.success(resourceId, signal);
            case 4 -> ReadResponse.success(resourceId, Map.of(0, "10.0.0.2"), Type.STRING);
            default -> super.read(server, resourceId);
            };
        }
    }
}
