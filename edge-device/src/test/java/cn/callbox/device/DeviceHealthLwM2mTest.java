package cn.callbox.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.device.health.SimulatedHealth;
import cn.callbox.device.lwm2m.CallBoxClient;
import cn.callbox.device.time.ManualScheduler;

/**
 * What the hub's console reads of a box's device: firmware (3/0/3), battery (3/0/9) and modem signal (4/0/2), from a
 * simulated box against a bare Leshan server over DTLS: simulated values by default, the configured battery file and
 * modem command when given.
 */
class DeviceHealthLwM2mTest {

    private static final String ENDPOINT = "cb-test-health";
    private static final String IDENTITY = "cb-test-health-id";
    private static final byte[] KEY = HexFormat.of().parseHex("8f2e4c6a1b3d5f7092a4c6e8f0123456");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    private final ManualScheduler.ManualClock clock = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"))
            .manualClock();
    private HubServer hub;
    private CallBox box;

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private Registration givenRegisteredBox(Properties extra) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("endpoint", ENDPOINT);
        properties.setProperty("hub.uri", hub.uri());
        properties.setProperty("psk.identity", IDENTITY);
        properties.setProperty("psk.key", HexFormat.of().formatHex(KEY));
        properties.setProperty("location.lat", "30.81");
        properties.setProperty("location.lon", "108.38");
        properties.setProperty("place", "测试村集市");
        properties.putAll(extra);
        box = CallBox.create(DeviceConfigLoader.parse(properties, folder), GpioBoard.simulated(), clock,
                new CallBoxClient.Timing(Duration.ofSeconds(2), Duration.ofMillis(500)), () -> {
                });
        box.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(box.registered() && hub.registration(ENDPOINT) != null)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not registered");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return hub.registration(ENDPOINT);
    }

    private Object read(Registration registration, int object, int instance, int resource) throws Exception {
        ReadResponse response = hub.server.send(registration, new ReadRequest(object, instance, resource), 5000);
        if (!response.isSuccess()) {
            return response.getCode();
        }
        return ((LwM2mSingleResource) response.getContent()).getValue();
    }

    @Test
    void a_simulated_box_reports_firmware_a_simulated_battery_and_modem() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        Registration registration = givenRegisteredBox(new Properties());

        assertTrue(registration.getAvailableInstances().contains(new LwM2mPath(4, 0)), "object 4 registered");
        ReadResponse device = hub.server.send(registration, new ReadRequest(3, 0), 5000);
        LwM2mObjectInstance instance = (LwM2mObjectInstance) device.getContent();
        assertEquals(CallBoxClient.FIRMWARE_VERSION, instance.getResource(3).getValue());
        assertEquals((long) SimulatedHealth.BATTERY_PERCENT, instance.getResource(9).getValue());
        assertEquals(ENDPOINT, instance.getResource(2).getValue());
        assertEquals((long) SimulatedHealth.SIGNAL_DBM, read(registration, 4, 0, 2));
    }

    @Test
    void a_configured_ina219_voltage_file_gives_the_charge() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        Files.writeString(folder.resolve("in1_input"), "13200\n");
        Properties extra = new Properties();
        extra.setProperty("power.battery-millivolts-file", "in1_input");
        Registration registration = givenRegisteredBox(extra);

        assertEquals(70L, read(registration, 3, 0, 9));
    }

    @Test
    void configured_battery_file_and_modem_command_are_read_at_each_request() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        Path capacity = folder.resolve("capacity");
        Files.writeString(capacity, "81\n");
        Path signal = folder.resolve("signal.txt");
        Files.writeString(signal, "modem.signal.lte.rssi : -88.40\n");
        Properties extra = new Properties();
        extra.setProperty("power.battery-file", "capacity");
        extra.setProperty("modem.signal-command", "cat '" + signal + "'");
        Registration registration = givenRegisteredBox(extra);

        assertEquals(81L, read(registration, 3, 0, 9));
        assertEquals(-88L, read(registration, 4, 0, 2));

        Files.writeString(capacity, "64\n");
        Files.writeString(signal, "-101\n");
        assertEquals(64L, read(registration, 3, 0, 9));
        assertEquals(-101L, read(registration, 4, 0, 2));

        // the gauge is gone (UPS unplugged) and the modem tool fails: no values, the rest of the device still reads
        Files.delete(capacity);
        Files.delete(signal);
        assertEquals(ResponseCode.NOT_FOUND, read(registration, 3, 0, 9));
        assertEquals(ResponseCode.NOT_FOUND, read(registration, 4, 0, 2));
        LwM2mObjectInstance device = (LwM2mObjectInstance) hub.server
                .send(registration, new ReadRequest(3, 0), 5000).getContent();
        assertEquals(CallBoxClient.FIRMWARE_VERSION, device.getResource(3).getValue());
        assertNull(device.getResource(9));
        assertFalse(device.getResources().isEmpty());
    }

    @Test
    void mains_loss_and_an_opened_enclosure_are_pushed_to_the_observing_hub_at_once() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        Registration registration = givenRegisteredBox(new Properties());
        // on mains: AC mains (6) and the internal battery (1) are available
        ObserveResponse power = hub.server.send(registration, new ObserveRequest(3, 0, 6), 5000);
        assertTrue(power.isSuccess(), power.toString());
        assertEquals(Map.of(0, 6L, 1, 1L), values(power.getContent()));
        ObserveResponse tamper = hub.server.send(registration, new ObserveRequest(33000, 0, 2), 5000);
        assertEquals(false, ((LwM2mSingleResource) tamper.getContent()).getValue());
        hub.notifications.clear();

        box.simulatedInputs().mains(false);
        ObserveResponse lost = hub.notifications.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Map.of(1, 1L), values(lost.getContent()), "only the battery");

        box.simulatedInputs().tamper(true);
        ObserveResponse opened = hub.notifications.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(true, ((LwM2mSingleResource) opened.getContent()).getValue());

        box.simulatedInputs().mains(true);
        ObserveResponse back = hub.notifications.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Map.of(0, 6L, 1, 1L), values(back.getContent()));
    }

    /** Resource instance id to value of a multiple resource. */
    private static Map<Integer, Object> values(Object node) {
        Map<Integer, Object> values = new java.util.TreeMap<>();
        ((LwM2mMultipleResource) node).getInstances().forEach((id, instance) -> values.put(id, instance.getValue()));
        return values;
    }
}
