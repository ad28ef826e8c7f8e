package cn.callbox.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.device.hardware.SimulatedFaults;
import cn.callbox.device.lwm2m.CallBoxClient;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;

/** A simulated box against a bare in-process Leshan server over DTLS PSK on loopback. */
class CallBoxLwM2mTest {

    private static final String ENDPOINT = "cb-test-market";
    private static final String IDENTITY = "cb-test-market-id";
    private static final byte[] KEY = HexFormat.of().parseHex("8f2e4c6a1b3d5f7092a4c6e8f0123456");
    private static final Instant PRESS_1 = Instant.parse("2026-03-01T08:00:00.250Z");
    private static final Instant PRESS_2 = Instant.parse("2026-03-01T08:03:10.500Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    private final ManualScheduler.ManualClock clock = new ManualScheduler(PRESS_1).manualClock();
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

    private DeviceConfig config(String hubUri) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("endpoint", ENDPOINT);
        properties.setProperty("hub.uri", hubUri);
        properties.setProperty("psk.identity", IDENTITY);
        properties.setProperty("psk.key", HexFormat.of().formatHex(KEY));
        properties.setProperty("location.lat", "30.81");
        properties.setProperty("location.lon", "108.38");
        properties.setProperty("place", "测试村集市");
        properties.setProperty("outbox.dir", "outbox");
        return DeviceConfigLoader.parse(properties, folder);
    }

    private CallBox givenBox(String hubUri) throws Exception {
        return CallBox.create(config(hubUri), GpioBoard.simulated(), clock,
                new CallBoxClient.Timing(Duration.ofSeconds(2), Duration.ofMillis(500)), () -> {
                });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HubServer.Received nextSend() throws InterruptedException {
        HubServer.Received received = hub.sends.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "a Send arrived");
        return received;
    }

    private static void assertAlarm(HubServer.Received received, long sequence, Instant pressedAt) {
        assertEquals(ENDPOINT, received.endpoint());
        assertEquals(java.util.Set.of(pressedAt), received.nodes().getTimestamps(), "stamped with the press time");
        Map<LwM2mPath, LwM2mNode> nodes = received.nodes().getNodesAt(pressedAt);
        assertEquals(sequence, ((LwM2mSingleResource) nodes.get(new LwM2mPath(3347, 0, 5501))).getValue());
        assertEquals(true, ((LwM2mSingleResource) nodes.get(new LwM2mPath(3347, 0, 5500))).getValue());
    }

    @Test
    void registers_and_a_press_arrives_as_a_send_with_sequence_and_press_time() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        box = givenBox(hub.uri());
        box.start();
        await("registered", () -> box.registered() && hub.registration(ENDPOINT) != null);

        box.simulatedInputs().pressButton();

        assertTrue(box.siren().isSounding(), "own siren at once");
        assertEquals(CallState.SENDING, box.callStatus().state());
        assertAlarm(nextSend(), 1, PRESS_1);
        await("outbox empty", () -> box.outboxSize() == 0);

        ReadResponse counter = hub.server.send(hub.registration(ENDPOINT), new ReadRequest(3347, 0, 5501), 5000);
        assertEquals(1L, ((LwM2mSingleResource) counter.getContent()).getValue());
        ReadResponse serial = hub.server.send(hub.registration(ENDPOINT), new ReadRequest(3, 0, 2), 5000);
        assertEquals(ENDPOINT, ((LwM2mSingleResource) serial.getContent()).getValue());
        ReadResponse item = hub.server.send(hub.registration(ENDPOINT), new ReadRequest(33001, 6, 2), 5000);
        assertEquals(2L, ((LwM2mSingleResource) item.getContent()).getValue(), "instance 6 = shield, 2 slots");
    }

    @Test
    void presses_while_the_hub_is_down_survive_a_restart_and_arrive_with_their_press_times() throws Exception {
        int port = freeUdpPort();
        String uri = "coaps://127.0.0.1:" + port;
        box = givenBox(uri);
        box.start();
        box.simulatedInputs().pressButton();
        assertEquals(1, box.outboxSize());
        box.close(); // power cut / restart of the box

        clock.set(PRESS_2);
        box = givenBox(uri);
        assertEquals(1, box.outboxSize(), "the first press is still in the outbox");
        box.start();
        box.simulatedInputs().pressButton();
        assertEquals(2, box.outboxSize());
        assertFalse(box.registered());

        hub = new HubServer(port, ENDPOINT, IDENTITY, KEY);
        assertAlarm(nextSend(), 1, PRESS_1);
        assertAlarm(nextSend(), 2, PRESS_2);
        await("outbox empty", () -> box.outboxSize() == 0);
        assertNull(hub.sends.poll(), "each alarm sent once");
        assertNull(hub.errors.poll(), "no Send was rejected");
    }

    @Test
    void a_wrong_psk_does_not_register() throws Exception {
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 0x55;
        hub = new HubServer(0, ENDPOINT, IDENTITY, otherKey);
        box = givenBox(hub.uri());
        box.start();

        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
            assertNull(hub.registration(ENDPOINT), "no registration with a wrong key");
            assertFalse(box.registered());
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void hub_writes_and_executes_drive_siren_and_call_status() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        box = givenBox(hub.uri());
        box.start();
        await("registered", () -> hub.registration(ENDPOINT) != null);
        Registration registration = hub.registration(ENDPOINT);

        LwM2mResponse write = hub.server.send(registration, new WriteRequest(33002, 0, 1, "drill"), 5000);
        assertEquals(ResponseCode.CHANGED, write.getCode());
        LwM2mResponse start = hub.server.send(registration, new ExecuteRequest(33002, 0, 3), 5000);
        assertEquals(ResponseCode.CHANGED, start.getCode());
        assertTrue(box.siren().isSounding());
        assertEquals(SirenPattern.DRILL, box.siren().pattern());

        LwM2mResponse stop = hub.server.send(registration, new ExecuteRequest(33002, 0, 4), 5000);
        assertEquals(ResponseCode.CHANGED, stop.getCode());
        assertFalse(box.siren().isSounding());

        LwM2mResponse withArgs = hub.server.send(registration, new ExecuteRequest("/33002/0/3", "0='alarm',1='30'"),
                5000);
        assertEquals(ResponseCode.CHANGED, withArgs.getCode());
        assertEquals(SirenPattern.ALARM, box.siren().pattern());
        LwM2mResponse bad = hub.server.send(registration, new ExecuteRequest("/33002/0/3", "0='party'"), 5000);
        assertEquals(ResponseCode.BAD_REQUEST, bad.getCode());

        LwM2mResponse received = hub.server.send(registration, new WriteRequest(33004, 0, 0, "received"), 5000);
        assertEquals(ResponseCode.CHANGED, received.getCode());
        assertEquals(CallState.RECEIVED, box.callStatus().state());
        assertTrue(box.loudspeaker().lastText().contains("已收到呼叫"), box.loudspeaker().lastText());

        ObserveResponse observed = hub.server.send(registration, new ObserveRequest(33001, 0), 5000);
        assertEquals(ResponseCode.CONTENT, observed.getCode());
        box.simulatedInputs().take(ItemKind.WHISTLE);
        ObserveResponse notified = hub.notifications.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(notified, "taking a whistle notifies the hub's observation of 33001/0");
        LwM2mObjectInstance whistleSlots = (LwM2mObjectInstance) notified.getContent();
        assertEquals(2L, whistleSlots.getResource(1).getValue());
        assertEquals("whistle", whistleSlots.getResource(0).getValue());
        ReadResponse whistles = hub.server.send(registration, new ReadRequest(33001, 0, 1), 5000);
        assertEquals(2L, ((LwM2mSingleResource) whistles.getContent()).getValue());
    }

    @Test
    void self_test_executed_by_the_hub_is_silent_and_reports_its_measured_result_in_the_device_error_code()
            throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        box = givenBox(hub.uri());
        List<Boolean> sirenReports = new java.util.concurrent.CopyOnWriteArrayList<>();
        box.siren().onChange(() -> sirenReports.add(box.siren().isSounding()));
        box.start();
        await("registered", () -> hub.registration(ENDPOINT) != null);
        Registration registration = hub.registration(ENDPOINT);

        LwM2mResponse passed = hub.server.send(registration, new ExecuteRequest(33000, 0, 3), 5000);
        assertEquals(ResponseCode.CHANGED, passed.getCode());
        assertEquals(Map.of(0, 0L), errorCodes(registration));
        assertEquals(List.of(), sirenReports, "the siren never sounded, not even for the measurement pulse");
        assertFalse(box.loudspeaker().isPlaying(), "nothing said");
        assertNull(box.loudspeaker().lastText());

        box.simulatedFaults().breakPart(SimulatedFaults.Part.SIREN);
        hub.server.send(registration, new ExecuteRequest(33000, 0, 3), 5000);
        assertEquals(Map.of(0, 16L), errorCodes(registration), "16 = the siren branch draws no current");
        box.simulatedFaults().repair(SimulatedFaults.Part.SIREN);
        box.simulatedFaults().breakPart(SimulatedFaults.Part.LOUDSPEAKER);
        hub.server.send(registration, new ExecuteRequest(33000, 0, 3), 5000);
        assertEquals(Map.of(0, 17L), errorCodes(registration), "17 = the amplifier draws no current");
        box.simulatedFaults().repair(SimulatedFaults.Part.LOUDSPEAKER);

        box.simulatedInputs().tamper(true);
        LwM2mResponse failed = hub.server.send(registration, new ExecuteRequest(33000, 0, 3), 5000);
        assertEquals(ResponseCode.CHANGED, failed.getCode());
        assertEquals(Map.of(0, 18L), errorCodes(registration), "18 = tamper loop open");
        assertEquals(List.of(), sirenReports);
    }

    @Test
    void an_audible_self_test_is_asked_for_by_argument_and_announces_itself_first() throws Exception {
        hub = new HubServer(0, ENDPOINT, IDENTITY, KEY);
        box = givenBox(hub.uri());
        box.start();
        await("registered", () -> hub.registration(ENDPOINT) != null);
        Registration registration = hub.registration(ENDPOINT);

        LwM2mResponse wrong = hub.server.send(registration, new ExecuteRequest(33000, 0, 3, "0='loud'"), 5000);
        assertEquals(ResponseCode.BAD_REQUEST, wrong.getCode());
        assertNull(box.loudspeaker().lastText(), "a bad request runs nothing");

        LwM2mResponse audible = hub.server.send(registration, new ExecuteRequest(33000, 0, 3, "0='audible'"), 5000);
        assertEquals(ResponseCode.CHANGED, audible.getCode());
        assertTrue(box.loudspeaker().lastText().startsWith("这是测试"), box.loudspeaker().lastText());
        assertFalse(box.siren().isSounding(), "the siren waits for the announcement to end");
    }

    private Map<Integer, Object> errorCodes(Registration registration) throws InterruptedException {
        ReadResponse read = hub.server.send(registration, new ReadRequest(3, 0, 11), 5000);
        assertEquals(ResponseCode.CONTENT, read.getCode());
        Map<Integer, Object> codes = new TreeMap<>();
        ((LwM2mMultipleResource) read.getContent()).getInstances()
                .forEach((id, instance) -> codes.put(id, instance.getValue()));
        return codes;
    }
}
