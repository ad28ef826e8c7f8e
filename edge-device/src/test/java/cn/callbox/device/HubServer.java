package cn.callbox.device;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.request.SendRequest;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.send.SendListener;
import org.eclipse.leshan.servers.security.InMemorySecurityStore;
import org.eclipse.leshan.servers.security.SecurityInfo;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coap.CoapServerProtocolProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coaps.CoapsServerProtocolProvider;

import cn.callbox.protocol.lwm2m.ObjectModels;

/** A bare Leshan server on loopback (DTLS PSK) standing in for the hub, recording the Sends it gets. */
final class HubServer implements AutoCloseable {

    /** One Send as the hub received it. */
    record Received(String endpoint, TimestampedLwM2mNodes nodes) {
    }

    final LeshanServer server;
    final BlockingQueue<Received> sends = new LinkedBlockingQueue<>();
    /** Notifications of observations, as path and content. */
    final BlockingQueue<org.eclipse.leshan.core.response.ObserveResponse> notifications = new LinkedBlockingQueue<>();
    /** Sends the server could not take (e.g. an undecodable payload). */
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

    /** @param port UDP port on 127.0.0.1, 0 for a free one */
    HubServer(int port, String endpoint, String identity, byte[] key) throws Exception {
        var endpoints = new CaliforniumServerEndpointsProvider.Builder(new CoapServerProtocolProvider(),
                new CoapsServerProtocolProvider());
        endpoints.addEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Protocol.COAPS);
        InMemorySecurityStore security = new InMemorySecurityStore();
        security.add(SecurityInfo.newPreSharedKeyInfo(endpoint, identity, key));
        LeshanServerBuilder builder = new LeshanServerBuilder();
        builder.setObjectModelProvider(new VersionedModelProvider(ObjectModels.all()));
        builder.setSecurityStore(security);
        builder.setEndpointsProviders(endpoints.build());
        server = builder.build();
        server.getSendService().addListener(new SendListener() {
            @Override
            public void dataReceived(Registration registration, TimestampedLwM2mNodes data, SendRequest request) {
                sends.add(new Received(registration.getEndpoint(), data));
            }

            @Override
            public void onError(Registration registration, String message, Exception error) {
                errors.add(message);
            }
        });
        server.getObservationService().addListener(new org.eclipse.leshan.server.observation.ObservationListener() {
            @Override
            public void newObservation(org.eclipse.leshan.core.observation.Observation observation,
                    Registration registration) {
            }

            @Override
            public void cancelled(org.eclipse.leshan.core.observation.Observation observation) {
            }

            @Override
            public void onResponse(org.eclipse.leshan.core.observation.SingleObservation observation,
                    Registration registration, org.eclipse.leshan.core.response.ObserveResponse response) {
                notifications.add(response);
            }

            @Override
            public void onResponse(org.eclipse.leshan.core.observation.CompositeObservation observation,
                    Registration registration, org.eclipse.leshan.core.response.ObserveCompositeResponse response) {
            }

            @Override
            public void onError(org.eclipse.leshan.core.observation.Observation observation,
                    Registration registration, Exception error) {
                errors.add("observation: " + error);
            }
        });
        server.start();
    }

    String uri() {
        return server.getEndpoint(Protocol.COAPS).getURI().toString();
    }

    Registration registration(String endpoint) {
        return server.getRegistrationService().getByEndpoint(endpoint);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
