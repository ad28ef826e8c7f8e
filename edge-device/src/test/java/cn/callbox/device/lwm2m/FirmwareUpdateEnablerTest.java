package cn.callbox.device.lwm2m;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coap.CoapServerProtocolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import cn.callbox.device.CallBox;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.firmware.FirmwareUpdater;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject;
import cn.callbox.protocol.lwm2m.ObjectModels;

/** Object 5 as the hub sees it: the enabler's answers, then a whole update over LwM2M against a loopback server. */
class FirmwareUpdateEnablerTest {

    private static final String ENDPOINT = "cb-ota-test";
    private static final KeyPair TRUSTED = FirmwareKeys.generate();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    private final AtomicInteger restarts = new AtomicInteger();
    private final List<LwM2mPath> changed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FirmwareUpdater updater;
    private LeshanServer hub;
    private HttpServer web;
    private CallBox box;

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
        if (updater != null) {
            updater.close();
        }
        if (hub != null) {
            hub.destroy();
        }
        if (web != null) {
            web.stop(0);
        }
    }

    private FirmwareUpdateEnabler givenEnabler(Path firmwareDir) {
        updater = new FirmwareUpdater(firmwareDir, List.of(TRUSTED.getPublic()), List.of(), Duration.ofSeconds(10),
                () -> false, restarts::incrementAndGet, CallBoxClient.FIRMWARE_VERSION);
        FirmwareUpdateEnabler enabler = new FirmwareUpdateEnabler(updater);
        enabler.setModel(ObjectModels.all().stream().filter(model -> model.id == FirmwareUpdateObject.ID)
                .filter(model -> "1.1".equals(model.version)).findFirst().orElseThrow());
        enabler.addResourceListener(paths -> changed.addAll(List.of(paths)));
        return enabler;
    }

    private static long number(ReadResponse response) {
        return (Long) ((LwM2mSingleResource) response.getContent()).getValue();
    }

    @Test
    void push_delivery_is_refused_and_the_fixed_resources_say_pull_over_http_and_https() {
        FirmwareUpdateEnabler enabler = givenEnabler(folder.resolve("firmware"));

        WriteResponse push = enabler.write(null, false, FirmwareUpdateObject.PACKAGE,
                LwM2mSingleResource.newBinaryResource(FirmwareUpdateObject.PACKAGE, new byte[] { 1, 2, 3 }));
        assertEquals(ResponseCode.BAD_REQUEST, push.getCode());
        assertEquals("push delivery is not supported; write the Package URI", push.getErrorMessage());

        LwM2mMultipleResource protocols = (LwM2mMultipleResource) enabler.read(null,
                FirmwareUpdateObject.PROTOCOL_SUPPORT).getContent();
        Map<Integer, Object> values = new java.util.TreeMap<>();
        protocols.getInstances().forEach((id, instance) -> values.put(id, instance.getValue()));
        assertEquals(Map.of(0, 2L, 1, 3L), values);
        assertEquals(0L, number(enabler.read(null, FirmwareUpdateObject.DELIVERY_METHOD)));
        assertEquals(0L, number(enabler.read(null, FirmwareUpdateObject.STATE)));
        assertEquals(0L, number(enabler.read(null, FirmwareUpdateObject.UPDATE_RESULT)));
    }

    @Test
    void a_uri_write_answers_at_once_and_update_or_cancel_without_a_download_are_refused() {
        FirmwareUpdateEnabler enabler = givenEnabler(folder.resolve("firmware"));

        assertEquals(ResponseCode.BAD_REQUEST, enabler.execute(null, FirmwareUpdateObject.UPDATE, null).getCode());
        assertEquals(ResponseCode.BAD_REQUEST, enabler.execute(null, FirmwareUpdateObject.CANCEL, null).getCode());
        assertEquals(ResponseCode.BAD_REQUEST, enabler.write(null, false, FirmwareUpdateObject.PACKAGE_URI,
                LwM2mSingleResource.newIntegerResource(FirmwareUpdateObject.PACKAGE_URI, 5)).getCode());

        WriteResponse coap = enabler.write(null, false, FirmwareUpdateObject.PACKAGE_URI,
                LwM2mSingleResource.newStringResource(FirmwareUpdateObject.PACKAGE_URI, "coap://hub/fw"));

        assertEquals(ResponseCode.CHANGED, coap.getCode());
        assertEquals(9L, number(enabler.read(null, FirmwareUpdateObject.UPDATE_RESULT)));
        assertTrue(changed.containsAll(List.of(new LwM2mPath(5, 0, 3), new LwM2mPath(5, 0, 5))),
                "observers are told: " + changed);
        assertEquals("coap://hub/fw", ((LwM2mSingleResource) enabler.read(null, FirmwareUpdateObject.PACKAGE_URI)
                .getContent()).getValue());
        assertEquals(ResponseCode.CHANGED, enabler.write(null, false, FirmwareUpdateObject.PACKAGE_URI,
                LwM2mSingleResource.newStringResource(FirmwareUpdateObject.PACKAGE_URI, "")).getCode());
        assertEquals(0L, number(enabler.read(null, FirmwareUpdateObject.UPDATE_RESULT)), "reset");
    }

    @Test
    void without_a_firmware_folder_a_uri_write_ends_with_update_failed() {
        FirmwareUpdateEnabler enabler = givenEnabler(null);

        enabler.write(null, false, FirmwareUpdateObject.PACKAGE_URI,
                LwM2mSingleResource.newStringResource(FirmwareUpdateObject.PACKAGE_URI, "http://127.0.0.1:1/fw"));

        assertEquals(0L, number(enabler.read(null, FirmwareUpdateObject.STATE)));
        assertEquals(8L, number(enabler.read(null, FirmwareUpdateObject.UPDATE_RESULT)));
    }

    // ---- over LwM2M -------------------------------------------------------------------------------------------

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void givenHub() throws Exception {
        int port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var endpoints = new CaliforniumServerEndpointsProvider.Builder(new CoapServerProtocolProvider());
        endpoints.addEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Protocol.COAP);
        LeshanServerBuilder builder = new LeshanServerBuilder();
        builder.setObjectModelProvider(new VersionedModelProvider(ObjectModels.all()));
        builder.setEndpointsProviders(endpoints.build());
        hub = builder.build();
        hub.start();
    }

    private String givenPackageServed(String version) throws IOException {
        Path jar = folder.resolve("new.jar");
        Files.write(jar, new byte[] { 'P', 'K', 3, 4, 42, 42, 42 });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FirmwarePackage.write(FirmwarePackage.EDGE_FIRMWARE, version, jar, TRUSTED.getPrivate(),
                Instant.parse("2026-11-01T08:00:00Z"), bytes);
        byte[] body = bytes.toByteArray();
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/firmware/download/token", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
        return "http://127.0.0.1:" + web.getAddress().getPort() + "/firmware/download/token";
    }

    private CallBox givenBox(Path firmwareDir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("endpoint", ENDPOINT);
        properties.setProperty("hub.uri", hub.getEndpoint(Protocol.COAP).getURI().toString());
        properties.setProperty("dev.allow-insecure", "true");
        properties.setProperty("location.lat", "30.81");
        properties.setProperty("location.lon", "108.38");
        properties.setProperty("place", "测试村集市");
        properties.setProperty("siren.alarm-seconds", "2");
        properties.setProperty("firmware.trusted-keys", FirmwareKeys.toBase64(TRUSTED.getPublic()));
        // a short healthy window: the new firmware is confirmed at the first heartbeat 5 s after registering
        properties.setProperty("lwm2m.heartbeat-seconds", "5");
        properties.setProperty("firmware.confirm-after-seconds", "5");
        CallBox created = CallBox.create(DeviceConfigLoader.parse(properties, folder), GpioBoard.simulated(),
                Clock.systemUTC(), new CallBoxClient.Timing(Duration.ofSeconds(2), Duration.ofMillis(500)), () -> {
                }, firmwareDir, restarts::incrementAndGet);
        created.start();
        await("registered", () -> created.registered() && registration() != null);
        return created;
    }

    private Registration registration() {
        return hub.getRegistrationService().getByEndpoint(ENDPOINT);
    }

    private <T extends LwM2mResponse> T send(org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest<T> request)
            throws InterruptedException {
        return hub.send(registration(), request, 5000);
    }

    private Object value(int object, int resource) throws InterruptedException {
        ReadResponse response = send(new ReadRequest(object, 0, resource));
        assertTrue(response.isSuccess(), object + "/0/" + resource + ": " + response);
        return ((LwM2mSingleResource) response.getContent()).getValue();
    }

    @Test
    void the_hub_installs_a_package_over_lwm2m_and_the_new_firmware_confirms_it_after_its_healthy_window() throws Exception {
        givenHub();
        String uri = givenPackageServed("0.2.0");
        Path firmwareDir = folder.resolve("firmware");
        box = givenBox(firmwareDir);
        assertEquals("0.1.0", value(3, 3), "the factory version");

        WriteResponse push = send(new WriteRequest(FirmwareUpdateObject.ID, 0, FirmwareUpdateObject.PACKAGE,
                new byte[] { 1 }));
        assertEquals(ResponseCode.BAD_REQUEST, push.getCode());
        WriteResponse write = send(new WriteRequest(FirmwareUpdateObject.ID, 0, FirmwareUpdateObject.PACKAGE_URI,
                uri));
        assertTrue(write.isSuccess(), write.toString());
        await("downloaded", () -> {
            try {
                return Long.valueOf(2).equals(value(FirmwareUpdateObject.ID, FirmwareUpdateObject.STATE));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("0.2.0", value(FirmwareUpdateObject.ID, FirmwareUpdateObject.PKG_VERSION));

        // a villager presses the button just before the update: the alarm comes first
        box.simulatedInputs().pressButton();
        assertTrue(box.siren().isSounding());
        ExecuteResponse update = send(new ExecuteRequest(FirmwareUpdateObject.ID, 0, FirmwareUpdateObject.UPDATE));
        assertTrue(update.isSuccess(), update.toString());
        await("installed", () -> Files.isSymbolicLink(firmwareDir.resolve("current")));
        assertEquals(0, restarts.get(), "no restart while the siren sounds");
        await("restarted after the siren stopped", () -> restarts.get() == 1);
        assertFalse(box.siren().isSounding());
        box.close();

        // the wrapper starts the new slot: it registers, and confirms itself only after its healthy window
        box = givenBox(firmwareDir);
        assertTrue(Files.exists(firmwareDir.resolve("trial")), "not confirmed at registration");
        assertEquals(3L, value(FirmwareUpdateObject.ID, FirmwareUpdateObject.STATE), "still UPDATING");
        assertEquals(0L, value(FirmwareUpdateObject.ID, FirmwareUpdateObject.UPDATE_RESULT));
        await("confirmed", () -> !Files.exists(firmwareDir.resolve("trial")));
        assertEquals("0.2.0", value(3, 3));
        assertEquals(0L, value(FirmwareUpdateObject.ID, FirmwareUpdateObject.STATE));
        assertEquals(1L, value(FirmwareUpdateObject.ID, FirmwareUpdateObject.UPDATE_RESULT));
        ReadResponse whole = send(new ReadRequest(FirmwareUpdateObject.ID, 0));
        assertTrue(whole.isSuccess(), "the hub reads 5/0 in one go: " + whole);
    }
}
