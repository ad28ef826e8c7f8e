package cn.callbox.hub.lwm2m;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.leshan.core.endpoint.EndpointUri;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.request.SendRequest;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.endpoint.LwM2mServerEndpoint;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.send.SendListener;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.ServerProtocolProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coap.CoapServerProtocolProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coaps.CoapsServerProtocolProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.lwm2m.CallBoxLeshanServerBuilder.CallBoxLeshanServer;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.system.PortInUseException;
import cn.callbox.protocol.lwm2m.ObjectModels;

/**
 * The hub's LwM2M server (Leshan over Californium): COAPS with a pre-shared key per box on
 * {@code callbox.lwm2m.port}, and plain CoAP on {@code callbox.lwm2m.coap-port} only when that development flag is
 * set. Port 0 picks a free port; {@link #secureUri()} tells the real one once started.
 * <p>
 * Lifecycle: a {@link SmartLifecycle} in an early phase, so the server is up before the web server and
 * {@code ApplicationReadyEvent}, and stops after it. Queue mode is off (call boxes are mains-powered and always
 * listening). Californium's configuration is built in code: no {@code Californium3.properties} file is read or
 * written.
 * <p>
 * Thread-safe: start and stop come from Spring's lifecycle thread, the rest from any thread.
 */
final class LeshanServerLifecycle implements SmartLifecycle, DeviceEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanServerLifecycle.class);

    /** Starts before the web server (Spring Boot's web server lifecycle runs at DEFAULT_PHASE - 1024). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;
    /** How long the hub waits for a box to answer a request. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private final HubProperties.Lwm2m config;
    private final CallBoxKeys keys;
    private final AlarmReceiver alarms;
    private final PresenceUpdates presence;
    private final Clock clock;

    private final List<RegistrationListener> registrationListeners = new CopyOnWriteArrayList<>();
    private volatile CallBoxLeshanServer server;

    /**
     * @param config where to listen
     * @param keys the registry's DTLS keys: only these boxes may register
     * @param alarms takes the alarms of Send requests, before the box is answered
     * @param presence told of registrations and observed values
     * @param clock dates presence
     */
    LeshanServerLifecycle(HubProperties.Lwm2m config, CallBoxKeys keys, AlarmReceiver alarms,
            PresenceUpdates presence, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        CallBoxLeshanServer built = build();
        try {
            built.start();
        } catch (RuntimeException e) {
            built.destroy();
            takenPort(e).ifPresent(taken -> {
                throw taken;
            });
            throw new IllegalStateException("LwM2M server could not listen on " + config.address() + " (DTLS port "
                    + config.port() + (config.coapPort() == null ? "" : ", CoAP port " + config.coapPort()) + "): "
                    + e.getMessage(), e);
        }
        server = built;
        LOG.info("LwM2M server listening on {}", secureUri());
        plainUri().ifPresent(uri -> LOG.warn(
                "Plain CoAP (no DTLS) is open on {} for development: known boxes may register there without a key",
                uri));
    }

    /**
     * The configured UDP port another program holds, when that is why the server did not start. Californium only logs
     * its BindException ("None of the server endpoints could be started"), so each port is tried once more here.
     */
    private Optional<PortInUseException> takenPort(RuntimeException failure) {
        List<Integer> ports = new ArrayList<>(List.of(config.port()));
        List<String> properties = new ArrayList<>(List.of("callbox.lwm2m.port"));
        if (config.coapPort() != null) {
            ports.add(config.coapPort());
            properties.add("callbox.lwm2m.coap-port");
        }
        for (int i = 0; i < ports.size(); i++) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(config.address(), ports.get(i)))) {
                // free now: not this one
                probe.getLocalPort();
            } catch (SocketException e) {
                return Optional.of(new PortInUseException("the LwM2M server", "UDP", config.address(), ports.get(i),
                        properties.get(i), failure));
            }
        }
        return Optional.empty();
    }

    private CallBoxLeshanServer build() {
        InetAddress address;
        try {
            address = InetAddress.getByName(config.address());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("callbox.lwm2m.address is not a usable address: " + config.address(), e);
        }
        List<ServerProtocolProvider> protocols = new ArrayList<>();
        protocols.add(new CoapsServerProtocolProvider());
        if (config.coapPort() != null) {
            protocols.add(new CoapServerProtocolProvider());
        }
        CaliforniumServerEndpointsProvider.Builder endpoints = new CaliforniumServerEndpointsProvider.Builder(
                protocols.toArray(ServerProtocolProvider[]::new));
        // A Configuration made in code: Californium's own default would read and write Californium3.properties
        // in the working directory.
        endpoints.setConfiguration(endpoints.createDefaultConfiguration());
        endpoints.addEndpoint(new InetSocketAddress(address, config.port()), Protocol.COAPS);
        if (config.coapPort() != null) {
            endpoints.addEndpoint(new InetSocketAddress(address, config.coapPort()), Protocol.COAP);
        }

        CallBoxSecurityStore securityStore = new CallBoxSecurityStore(keys);
        CallBoxLeshanServerBuilder builder = new CallBoxLeshanServerBuilder();
        builder.setObjectModelProvider(new VersionedModelProvider(ObjectModels.all()));
        builder.setDecoder(TolerantSenMLCborPackSerDes.lwm2mDecoder());
        builder.setSecurityStore(securityStore);
        builder.setAuthorizer(new CallBoxAuthorizer(securityStore));
        builder.setEndpointsProviders(endpoints.build());
        builder.disableQueueModeSupport();
        CallBoxLeshanServer built = builder.build();

        built.alarmSendHandler().bind(alarms);
        ObservationBridge observations = new ObservationBridge(built, presence, clock, REQUEST_TIMEOUT_MILLIS);
        built.getObservationService().addListener(observations);
        built.getRegistrationService().addListener(new RegistrationBridge(presence, observations, clock));
        registrationListeners.forEach(built.getRegistrationService()::addListener);
        // a Send (an alarm) is a sign of life too, for supervision
        built.getSendService().addListener(new SendListener() {
            @Override
            public void dataReceived(Registration registration, TimestampedLwM2mNodes data, SendRequest request) {
                presence.seen(registration.getEndpoint(), clock.instant());
            }

            @Override
            public void onError(Registration registration, String errorMessage, Exception error) {
                // refused Sends are logged by AlarmSendHandler
            }
        });
        return built;
    }

    @Override
    public synchronized void stop() {
        CallBoxLeshanServer running = server;
        server = null;
        if (running != null) {
            running.destroy();
            LOG.info("LwM2M server stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Adds a listener of registrations, after the one that keeps presence and observations; it takes effect at the
     * next {@link #start()}.
     */
    void addRegistrationListener(RegistrationListener listener) {
        registrationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The running server; empty before start and after stop. */
    Optional<LeshanServer> server() {
        return Optional.ofNullable(server);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException before the server has started
     */
    @Override
    public URI secureUri() {
        return uriOf(Protocol.COAPS).orElseThrow(() -> new IllegalStateException("LwM2M server not started"));
    }

    /** {@inheritDoc} Empty when plain CoAP is off or the server is not started. */
    @Override
    public Optional<URI> plainUri() {
        return uriOf(Protocol.COAP);
    }

    private Optional<URI> uriOf(Protocol protocol) {
        LeshanServer running = server;
        if (running == null) {
            return Optional.empty();
        }
        LwM2mServerEndpoint endpoint = running.getEndpoint(protocol);
        if (endpoint == null) {
            return Optional.empty();
        }
        return Optional.of(reachable(endpoint.getURI()));
    }

    /** Boxes cannot connect to a wildcard address; the demo boxes run on the same machine, so loopback is right. */
    private static URI reachable(EndpointUri uri) {
        String host = uri.getHost();
        try {
            if (host == null || InetAddress.getByName(host).isAnyLocalAddress()) {
                host = "127.0.0.1";
            }
        } catch (UnknownHostException e) {
            // keep the host as Californium reported it
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new URI(uri.getScheme(), null, host, uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected endpoint URI " + uri, e);
        }
    }
}
