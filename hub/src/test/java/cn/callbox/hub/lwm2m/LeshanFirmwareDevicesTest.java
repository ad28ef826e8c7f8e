package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.firmware.FirmwareDevices;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.lwm2m.ObjectModels;

/**
 * {@link LeshanFirmwareDevices} against a real Leshan client over loopback DTLS: object 5 status, the Package URI
 * write, Update, a refused Update, a box that does not answer and one that is not registered.
 */
class LeshanFirmwareDevicesTest {
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    private final Fakes.Keys keys = new Fakes.Keys().add("box-i", "box-i-psk", KEY);
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(new Fakes.Statuses(), (e, d, i) -> {
    });
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T02:00:00Z"));
    private LeshanServerLifecycle server;
    private LeshanClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.destroy(false);
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void reads_object_5_writes_the_package_uri_executes_update_and_gives_up_on_a_silent_or_absent_box() {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, null, "127.0.0.1", null), keys,
                new Fakes.Alarms(), presence, clock);
        server.start();
        LeshanFirmwareDevices devices = new LeshanFirmwareDevices(server, 1500);
        assertThat(devices.online("box-i")).isFalse();
        assertThat(devices.status("box-i")).isEmpty();
        assertThat(devices.writePackageUri("box-i", "http://x/y")).isFalse();
        Fw fw = new Fw();
        client = box(server.secureUri(), fw);
        client.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> devices.online("box-i"));
        assertThat(devices.status("box-i")).contains(new FirmwareDevices.Status(0, 0, "1.4.2"));
        assertThat(devices.executeUpdate("box-i")).isFalse();
        assertThat(devices.writePackageUri("box-i", "http://hub/firmware/download/tok")).isTrue();
        assertThat(fw.uri).isEqualTo("http://hub/firmware/download/tok");
        assertThat(devices.status("box-i")).contains(new FirmwareDevices.Status(1, 0, "1.4.2"));
        fw.state = 2;
        assertThat(devices.executeUpdate("box-i")).isTrue();
        assertThat(fw.updates).isEqualTo(1);
        assertThat(devices.status("box-i")).contains(new FirmwareDevices.Status(3, 0, "1.4.2"));
        assertThat(devices.writePackageUri("box-i", "")).isTrue();
        assertThat(fw.uri).isEmpty();
        fw.silent = true;
        assertThat(devices.status("box-i")).as("a box that does not answer within the timeout").isEmpty();
    }

    private static LeshanClient box(URI serverUri, Fw fw) {
        ObjectsInitializer objects = new ObjectsInitializer(
                new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel());
        objects.setInstancesForObject(LwM2mId.SECURITY, Security.psk(serverUri.toString(), 123,
                "box-i-psk".getBytes(StandardCharsets.UTF_8), KEY));
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(123, 300));
        objects.setInstancesForObject(LwM2mId.DEVICE, new CallBoxActionsLwM2mTest.InfoDevice());
        objects.setInstancesForObject(LwM2mId.FIRMWARE, fw);
        LeshanClientBuilder builder = new LeshanClientBuilder("box-i");
        builder.setObjects(objects.createAll());
        builder.setEndpointsProviders(
                new CaliforniumClientEndpointsProvider.Builder(new CoapsClientProtocolProvider()).build());
        return builder.build();
    }

    public static class Fw extends BaseInstanceEnabler {
        volatile long state;
        volatile long result;
        volatile String uri = "";
        volatile int updates;
        volatile boolean silent;

        public Fw() {
            super(0);
        }

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(1, 2, 3, 5);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            if (silent) {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return switch (resourceId) {
                case 1 -> ReadResponse.success(resourceId, uri);
                case 3 -> ReadResponse.success(resourceId, state);
                case 5 -> ReadResponse.success(resourceId, result);
                default -> super.read(server, resourceId);
            };
        }

        @Override
        public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
            if (resourceId == 1) {
                uri = (String) value.getValue();
                state = uri.isEmpty() ? 0 : 1;
                result = 0;
                return WriteResponse.success();
            }
            return super.write(server, replace, resourceId, value);
        }

        @Override
        public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
            if (resourceId == 2 && state == 2) {
                state = 3;
                updates++;
                return ExecuteResponse.success();
            }
            return ExecuteResponse.badRequest("not downloaded");
        }
    }
}
