package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import cn.callbox.hub.device.DeviceInfo;
import cn.callbox.hub.device.DeviceInfoSource;

/**
 * {@link DeviceInfoSource} over LwM2M: a READ of Device 3/0 (manufacturer 0, model 1, serial 2, firmware 3, battery
 * 9) and, when the box registered instance 4/0, of Connectivity Monitoring 4/0/2 (radio signal strength, dBm). Read
 * when a box registers and at most once a minute on request; the last values are kept (in memory) for boxes that go
 * offline.
 * <p>
 * A {@link SmartLifecycle} started just after the LwM2M server, so that it hears every registration. Requests are
 * asynchronous, answers arrive on CoAP threads. Thread-safe.
 */
final class LeshanDeviceInfoReader implements DeviceInfoSource, RegistrationListener, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanDeviceInfoReader.class);

    /** Values older than this are read again on request. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** How long a request waits for a fresh read before it takes the last values. */
    static final long WAIT_MILLIS = 2_000;

    static final LwM2mPath DEVICE = new LwM2mPath(LwM2mId.DEVICE, 0);
    static final LwM2mPath CONNECTIVITY = new LwM2mPath(LwM2mId.CONNECTIVITY_MONITORING, 0);
    static final int MANUFACTURER = 0;
    static final int MODEL = 1;
    static final int SERIAL = 2;
    static final int FIRMWARE = 3;
    static final int BATTERY = 9;
    static final int RADIO_SIGNAL_STRENGTH = 2;

    private final LeshanServerLifecycle lifecycle;
    private final Clock clock;
    private final long timeoutMillis;
    private final Map<String, DeviceInfo> known = new ConcurrentHashMap<>();
    /** Per endpoint, when it was last asked and the answer of that read (done or not). */
    private final Map<String, Read> reads = new ConcurrentHashMap<>();
    private volatile LeshanServer listeningTo;

    private record Read(Instant askedAt, CompletableFuture<DeviceInfo> answer) {
    }

    /** @param timeoutMillis how long each READ may take */
    LeshanDeviceInfoReader(LeshanServerLifecycle lifecycle, Clock clock, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Optional<DeviceInfo> deviceInfo(String endpoint) {
        if (endpoint == null) {
            return Optional.empty();
        }
        DeviceInfo last = known.get(endpoint);
        Instant now = clock.instant();
        if (last == null || !last.readAt().plus(MAX_AGE).isAfter(now)) {
            Optional<LeshanServer> server = lifecycle.server();
            Registration registration = server.isEmpty() ? null
                    : server.get().getRegistrationService().getByEndpoint(endpoint);
            if (registration != null) {
                CompletableFuture<DeviceInfo> answer = readIfDue(server.get(), registration, now, false);
                try {
                    answer.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // the last values are shown; the read goes on and fills the cache for the next request
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return Optional.ofNullable(known.get(endpoint));
    }

    /**
     * Starts a read unless one is running, or (when not {@code forced}) one was asked for within the last minute.
     *
     * @return the running or new read; completes with the values read, or null when the box did not give them
     */
    private synchronized CompletableFuture<DeviceInfo> readIfDue(LeshanServer server, Registration registration,
            Instant now, boolean forced) {
        String endpoint = registration.getEndpoint();
        Read previous = reads.get(endpoint);
        if (previous != null && (!previous.answer().isDone()
                || (!forced && previous.askedAt().plus(MAX_AGE).isAfter(now)))) {
            return previous.answer();
        }
        CompletableFuture<DeviceInfo> answer = new CompletableFuture<>();
        reads.put(endpoint, new Read(now, answer));
        read(server, registration, answer);
        return answer;
    }

    private void read(LeshanServer server, Registration registration, CompletableFuture<DeviceInfo> answer) {
        String endpoint = registration.getEndpoint();
        send(server, registration, new ReadRequest(DEVICE.getObjectId(), DEVICE.getObjectInstanceId()), device -> {
            if (device == null) {
                answer.complete(null);
                return;
            }
            if (!registration.getAvailableInstances().contains(CONNECTIVITY)) {
                answer.complete(store(endpoint, device, null));
                return;
            }
            LwM2mPath signalPath = new LwM2mPath(LwM2mId.CONNECTIVITY_MONITORING, 0, RADIO_SIGNAL_STRENGTH);
            send(server, registration, new ReadRequest(signalPath.getObjectId(), signalPath.getObjectInstanceId(),
                    signalPath.getResourceId()), signal -> answer.complete(store(endpoint, device, signal)));
        });
    }

    /** Sends a READ; {@code then} gets the content, or null when the box refused or did not answer. */
    private void send(LeshanServer server, Registration registration, ReadRequest request,
            Consumer<ReadResult> then) {
        String endpoint = registration.getEndpoint();
        try {
            server.send(registration, request, timeoutMillis, response -> {
                if (response.isSuccess()) {
                    then.accept(new ReadResult(request.getPath(), response));
                } else {
                    LOG.info("Read {} of {} refused: {}", request.getPath(), endpoint, response.getCode());
                    then.accept(null);
                }
            }, error -> {
                LOG.info("Read {} of {} failed: {}", request.getPath(), endpoint, error.toString());
                then.accept(null);
            });
        } catch (RuntimeException e) {
            LOG.info("Read {} of {} not sent: {}", request.getPath(), endpoint, e.toString());
            then.accept(null);
        }
    }

    private record ReadResult(LwM2mPath path, ReadResponse response) {
        LwM2mNode content() {
            return response.getContent();
        }
    }

    private DeviceInfo store(String endpoint, ReadResult device, ReadResult signal) {
        DeviceInfo info = new DeviceInfo(text(device, FIRMWARE), number(device, LwM2mId.DEVICE, BATTERY),
                signal == null ? null : number(signal, LwM2mId.CONNECTIVITY_MONITORING, RADIO_SIGNAL_STRENGTH),
                text(device, MANUFACTURER), text(device, MODEL), text(device, SERIAL), clock.instant());
        known.put(endpoint, info);
        LOG.debug("Device info of {}: {}", endpoint, info);
        return info;
    }

    private static String text(ReadResult read, int resource) {
        return NodeValues.resourceValue(read.path(), read.content(), LwM2mId.DEVICE, 0, resource)
                .map(String::valueOf).orElse(null);
    }

    private static Integer number(ReadResult read, int object, int resource) {
        return NodeValues.resourceValue(read.path(), read.content(), object, 0, resource)
                .filter(Number.class::isInstance).map(value -> ((Number) value).intValue()).orElse(null);
    }

    @Override
    public void registered(Registration registration, Registration previousReg,
            Collection<Observation> previousObservations) {
        LeshanServer server = listeningTo;
        if (server != null) {
            readIfDue(server, registration, clock.instant(), true);
        }
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updatedReg, Registration previousReg) {
        // heartbeats carry nothing new about the device
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration newReg) {
        // the last values stay, shown with their readAt
    }

    @Override
    public synchronized void start() {
        if (listeningTo == null) {
            lifecycle.server().ifPresent(server -> {
                server.getRegistrationService().addListener(this);
                listeningTo = server;
            });
        }
    }

    @Override
    public synchronized void stop() {
        LeshanServer server = listeningTo;
        listeningTo = null;
        if (server != null) {
            server.getRegistrationService().removeListener(this);
        }
    }

    @Override
    public boolean isRunning() {
        return listeningTo != null;
    }

    /** Just after the LwM2M server, before the web server. */
    @Override
    public int getPhase() {
        return LeshanServerLifecycle.PHASE + 1;
    }
}
