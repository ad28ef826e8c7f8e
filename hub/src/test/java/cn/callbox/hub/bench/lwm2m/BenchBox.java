package cn.callbox.hub.bench.lwm2m;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.object.Device;
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
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.response.SendResponse;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;

import cn.callbox.hub.lwm2m.TestEnablers;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.ObjectModels;
import cn.callbox.protocol.lwm2m.PushButtonObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * One simulated call box for the benchmark: a real Leshan client over DTLS-PSK with the call-box objects (panic
 * button, locker with a full kit, siren, loudspeaker, call status) that presses its button the way the box's alarm
 * outbox does: a confirmable SenML-CBOR Send of timestamped {@code /3347/0/5500} and {@code /3347/0/5501}.
 * <p>
 * Kept light so that a thousand fit in one JVM: Leshan's scheduled work runs on a shared executor, and Californium
 * runs one protocol-stage, one DTLS receiver and one DTLS connector thread per box (its client defaults). Sends from
 * one box must not overlap; different boxes may send concurrently.
 */
public final class BenchBox implements AutoCloseable {

    private static final int SHORT_SERVER_ID = 123;
    /** Long enough that no registration update falls inside a run. */
    private static final long LIFETIME_SECONDS = 3600;
    private static final long SEND_TIMEOUT_MILLIS = 10_000;
    /** Whistles, batons and helmets: one per member on duty, and a unit has at most 6 members. */
    private static final int PER_MEMBER = 6;

    private final String endpoint;
    private final BenchEnablers.TimedSiren siren = new BenchEnablers.TimedSiren();
    private final BenchEnablers.TimedCallStatus callStatus = new BenchEnablers.TimedCallStatus();
    private final OutboxSender sender = new OutboxSender();
    private final AtomicLong counter = new AtomicLong();
    private final LeshanClient client;
    private final CompletableFuture<Void> registered = new CompletableFuture<>();

    /**
     * @param serverUri the {@code coaps://} URI of the LwM2M server
     * @param pskKey this box's pre-shared key; the PSK identity is the endpoint name
     * @param shared Leshan's scheduled work (not shut down by {@link #close})
     */
    public BenchBox(URI serverUri, String endpoint, byte[] pskKey, ScheduledExecutorService shared) {
        this.endpoint = endpoint;
        ObjectsInitializer objects = new ObjectsInitializer(new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel());
        objects.setInstancesForObject(LwM2mId.SECURITY, Security.psk(serverUri.toString(), SHORT_SERVER_ID,
                endpoint.getBytes(StandardCharsets.UTF_8), pskKey));
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(SHORT_SERVER_ID, LIFETIME_SECONDS));
        objects.setInstancesForObject(LwM2mId.DEVICE, new Device("callbox-bench", "bench", endpoint));
        objects.setInstancesForObject(PushButtonObject.ID, new TestEnablers.PanicButton());
        objects.setInstancesForObject(EquipmentLockerObject.ID, new TestEnablers.Locker());
        objects.setInstancesForObject(LockerItemObject.ID, fullKit());
        objects.setInstancesForObject(SirenObject.ID, siren);
        objects.setInstancesForObject(LoudspeakerObject.ID, new TestEnablers.Loudspeaker());
        objects.setInstancesForObject(CallStatusObject.ID, callStatus);

        LeshanClientBuilder builder = new LeshanClientBuilder(endpoint);
        builder.setObjects(objects.createAll());
        builder.setDataSenders(sender);
        builder.setSharedExecutor(shared);
        CaliforniumClientEndpointsProvider.Builder endpoints = new CaliforniumClientEndpointsProvider.Builder(
                new CoapsClientProtocolProvider());
        // built in code, so that Californium neither reads nor writes Californium3.properties
        Configuration configuration = endpoints.createDefaultConfiguration();
        // hundreds of boxes shake hands at once on two cores: give a slow answer time before retransmitting
        configuration.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 3, TimeUnit.SECONDS);
        endpoints.setConfiguration(configuration);
        builder.setEndpointsProviders(endpoints.build());
        client = builder.build();
        client.addObserver(new LwM2mClientObserverAdapter() {
            @Override
            public void onRegistrationSuccess(LwM2mServer server, RegisterRequest request, String registrationID) {
                registered.complete(null);
            }

            @Override
            public void onRegistrationFailure(LwM2mServer server, RegisterRequest request, ResponseCode code,
                    String errorMessage, Exception cause) {
                registered.completeExceptionally(new IllegalStateException(
                        endpoint + " not registered: " + code + " " + errorMessage, cause));
            }

            @Override
            public void onRegistrationTimeout(LwM2mServer server, RegisterRequest request) {
                registered.completeExceptionally(new IllegalStateException(endpoint + " registration timed out"));
            }
        });
    }

    private static BenchEnablers.KitItem[] fullKit() {
        ItemKind[] kinds = { ItemKind.WHISTLE, ItemKind.BATON, ItemKind.HELMET, ItemKind.FLASHLIGHT,
                ItemKind.LOUDSPEAKER, ItemKind.STEEL_FORK, ItemKind.SHIELD };
        int[] counts = { PER_MEMBER, PER_MEMBER, PER_MEMBER, 1, 1, 1, 2 };
        BenchEnablers.KitItem[] items = new BenchEnablers.KitItem[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            items[i] = new BenchEnablers.KitItem(i, kinds[i], counts[i]);
        }
        return items;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Starts registering; {@link #registered()} completes when the server accepted the box, or fails. */
    public BenchBox start() {
        client.start();
        return this;
    }

    public CompletableFuture<Void> registered() {
        return registered;
    }

    /**
     * Presses the panic button: sends the next counter value and the pressed state, both dated {@code pressedAt}, and
     * waits for the server's answer.
     *
     * @return the server's answer
     * @throws IllegalStateException when the box is not registered
     */
    public SendResponse press(Instant pressedAt) throws InterruptedException {
        List<LwM2mServer> servers = List.copyOf(client.getRegisteredServers().values());
        if (servers.isEmpty()) {
            throw new IllegalStateException(endpoint + " is not registered");
        }
        TimestampedLwM2mNodes data = new TimestampedLwM2mNodes.Builder()
                .put(pressedAt, new LwM2mPath(PushButtonObject.ID, PushButtonObject.PANIC_INSTANCE,
                        PushButtonObject.STATE), LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, true))
                .put(pressedAt, new LwM2mPath(PushButtonObject.ID, PushButtonObject.PANIC_INSTANCE,
                        PushButtonObject.COUNTER),
                        LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, counter.incrementAndGet()))
                .build();
        return sender.manager.sendData(servers.get(0), ContentFormat.SENML_CBOR, data, SEND_TIMEOUT_MILLIS);
    }

    /** {@link System#nanoTime()} of the last siren Start the box executed, or {@link BenchEnablers#NEVER}. */
    public long lastSirenStartNanos() {
        return siren.lastStartNanos();
    }

    /** {@link System#nanoTime()} of the last call status {@code received} written, or {@link BenchEnablers#NEVER}. */
    public long lastReceivedNanos() {
        return callStatus.lastReceivedNanos();
    }

    /** Stops without deregistering: the server is shut down right after, so nobody needs to be told. */
    @Override
    public void close() {
        client.destroy(false);
    }

    /** Hands the box the client's data sender manager, which sends explicit timestamped values. */
    private static final class OutboxSender implements DataSender {
        volatile DataSenderManager manager;

        @Override
        public void setDataSenderManager(DataSenderManager manager) {
            this.manager = manager;
        }

        @Override
        public String getName() {
            return "bench-outbox";
        }
    }
}
