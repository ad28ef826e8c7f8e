package cn.callbox.hub.lwm2m;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.engine.DefaultRegistrationEngineFactory;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.client.send.DataSender;
import org.eclipse.leshan.client.send.DataSenderManager;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.LwM2mModelRepository;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UpdateRequest;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.response.SendResponse;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coap.CoapClientProtocolProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;

import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.ObjectModels;
import cn.callbox.protocol.lwm2m.PushButtonObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/** A real Leshan client with the call-box objects, for tests against the hub's server. Not thread-safe. */
final class TestCallBox implements AutoCloseable {

    private static final int SHORT_SERVER_ID = 123;

    final String endpoint;
    final TestEnablers.Siren siren = new TestEnablers.Siren();
    final TestEnablers.Locker locker = new TestEnablers.Locker();
    final TestEnablers.LockerItem helmets = new TestEnablers.LockerItem(0, "helmet", 3, 3);
    final TestEnablers.LockerItem batons = new TestEnablers.LockerItem(1, "baton", 2, 3);
    final TestEnablers.Loudspeaker loudspeaker = new TestEnablers.Loudspeaker();
    final TestEnablers.CallStatus callStatus = new TestEnablers.CallStatus();
    final TestEnablers.PanicButton button = new TestEnablers.PanicButton();
    private final CapturingDataSender sender = new CapturingDataSender();
    private final LeshanClient client;
    private volatile CompletableFuture<ResponseCode> registrationFailure = new CompletableFuture<>();
    /** Registration UPDATEs the hub answered with success. */
    final AtomicInteger updates = new AtomicInteger();

    final TestEnablers.Device device;

    private TestCallBox(String endpoint, Security security, Duration heartbeat) {
        this.endpoint = endpoint;
        ObjectsInitializer objects = new ObjectsInitializer(new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel());
        objects.setInstancesForObject(LwM2mId.SECURITY, security);
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(SHORT_SERVER_ID, 300));
        device = new TestEnablers.Device(endpoint);
        locker.device = device;
        objects.setInstancesForObject(LwM2mId.DEVICE, device);
        objects.setInstancesForObject(PushButtonObject.ID, button);
        objects.setInstancesForObject(EquipmentLockerObject.ID, locker);
        objects.setInstancesForObject(LockerItemObject.ID, helmets, batons);
        objects.setInstancesForObject(SirenObject.ID, siren);
        objects.setInstancesForObject(LoudspeakerObject.ID, loudspeaker);
        objects.setInstancesForObject(CallStatusObject.ID, callStatus);

        LeshanClientBuilder builder = new LeshanClientBuilder(endpoint);
        builder.setObjects(objects.createAll());
        builder.setDataSenders(sender);
        if (heartbeat != null) {
            DefaultRegistrationEngineFactory engine = new DefaultRegistrationEngineFactory();
            engine.setCommunicationPeriod((int) heartbeat.toMillis());
            builder.setRegistrationEngineFactory(engine);
        }
        CaliforniumClientEndpointsProvider.Builder endpoints = new CaliforniumClientEndpointsProvider.Builder(
                new CoapClientProtocolProvider(), new CoapsClientProtocolProvider());
        // give up a failing handshake (wrong key: the server silently drops what it cannot decrypt) within seconds
        Configuration configuration = endpoints.createDefaultConfiguration();
        configuration.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 500, TimeUnit.MILLISECONDS);
        configuration.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        endpoints.setConfiguration(configuration);
        builder.setEndpointsProviders(endpoints.build());
        client = builder.build();
        client.addObserver(new LwM2mClientObserverAdapter() {
            @Override
            public void onRegistrationFailure(LwM2mServer server, RegisterRequest request, ResponseCode code,
                    String errorMessage, Exception cause) {
                registrationFailure.complete(code);
            }

            @Override
            public void onRegistrationTimeout(LwM2mServer server, RegisterRequest request) {
                registrationFailure.complete(null);
            }

            @Override
            public void onUpdateSuccess(LwM2mServer server, UpdateRequest request) {
                updates.incrementAndGet();
            }
        });
    }

    /** A box that talks DTLS with a pre-shared key. */
    static TestCallBox withPsk(URI serverUri, String endpoint, String identity, byte[] key) {
        return withPsk(serverUri, endpoint, identity, key, null);
    }

    /** A box that talks DTLS and sends a registration UPDATE every {@code heartbeat} (null: Leshan's default). */
    static TestCallBox withPsk(URI serverUri, String endpoint, String identity, byte[] key, Duration heartbeat) {
        return new TestCallBox(endpoint, Security.psk(serverUri.toString(), SHORT_SERVER_ID,
                identity.getBytes(StandardCharsets.UTF_8), key), heartbeat);
    }

    /** A box that talks plain CoAP. */
    static TestCallBox withoutSecurity(URI serverUri, String endpoint) {
        return new TestCallBox(endpoint, Security.noSec(serverUri.toString(), SHORT_SERVER_ID), null);
    }

    TestCallBox start() {
        registrationFailure = new CompletableFuture<>();
        client.start();
        return this;
    }

    /** Stops without deregistering: the next start sends a new REGISTER that replaces the old registration. */
    void stopSilently() {
        client.stop(false);
    }

    boolean isRegistered() {
        return !client.getRegisteredServers().isEmpty();
    }

    /**
     * Waits for the first registration attempt to fail.
     *
     * @return the CoAP response code, or null when no response came (e.g. failed DTLS handshake)
     */
    ResponseCode awaitRegistrationFailure(Duration timeout) throws Exception {
        return registrationFailure.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** LwM2M Send of timestamped values (confirmable, SenML-CBOR), as the box's alarm outbox does. */
    SendResponse send(TimestampedLwM2mNodes data) throws InterruptedException {
        List<LwM2mServer> servers = List.copyOf(client.getRegisteredServers().values());
        if (servers.isEmpty()) {
            throw new IllegalStateException(endpoint + " is not registered");
        }
        return sender.manager.sendData(servers.get(0), ContentFormat.SENML_CBOR, data, 5000);
    }

    @Override
    public void close() {
        client.destroy(false);
    }

    /** Gives the test the client's data sender manager, which can send explicit timestamped values. */
    private static final class CapturingDataSender implements DataSender {
        volatile DataSenderManager manager;

        @Override
        public void setDataSenderManager(DataSenderManager manager) {
            this.manager = manager;
        }

        @Override
        public String getName() {
            return "test-outbox";
        }
    }
}
