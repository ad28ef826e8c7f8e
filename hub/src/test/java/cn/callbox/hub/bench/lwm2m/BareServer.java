package cn.callbox.hub.bench.lwm2m;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.eclipse.leshan.core.endpoint.EndpointUri;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.node.codec.LwM2mDecoder;
import org.eclipse.leshan.core.request.SendRequest;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.send.SendListener;
import org.eclipse.leshan.servers.security.InMemorySecurityStore;
import org.eclipse.leshan.servers.security.NonUniqueSecurityInfoException;
import org.eclipse.leshan.servers.security.SecurityInfo;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coaps.CoapsServerProtocolProvider;

import cn.callbox.hub.lwm2m.TolerantSenMLCborPackSerDes;
import cn.callbox.protocol.lwm2m.ObjectModels;

/**
 * The baseline: a bare Leshan server with no hub logic. DTLS-PSK on a free loopback port, an in-memory security store,
 * the protocol's object models, the hub's SenML-CBOR decoder (so the very same Send bytes are accepted) and a Send
 * listener that does nothing. No observations, no database, no MQTT.
 */
public final class BareServer implements AutoCloseable {

    private final LeshanServer server;

    /** Starts the server and lets in the boxes of {@code keys} (PSK identity = endpoint). */
    public BareServer(Map<String, byte[]> keys) {
        InMemorySecurityStore security = new InMemorySecurityStore();
        try {
            for (Map.Entry<String, byte[]> key : keys.entrySet()) {
                security.add(SecurityInfo.newPreSharedKeyInfo(key.getKey(), key.getKey(), key.getValue()));
            }
        } catch (NonUniqueSecurityInfoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        CaliforniumServerEndpointsProvider.Builder endpoints = new CaliforniumServerEndpointsProvider.Builder(
                new CoapsServerProtocolProvider());
        endpoints.setConfiguration(endpoints.createDefaultConfiguration());
        endpoints.addEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Protocol.COAPS);
        LeshanServerBuilder builder = new LeshanServerBuilder();
        builder.setObjectModelProvider(new VersionedModelProvider(ObjectModels.all()));
        builder.setDecoder(TolerantSenMLCborPackSerDes.lwm2mDecoder());
        builder.setSecurityStore(security);
        builder.setEndpointsProviders(endpoints.build());
        builder.disableQueueModeSupport();
        server = builder.build();
        server.getSendService().addListener(new SendListener() {
            @Override
            public void dataReceived(Registration registration, TimestampedLwM2mNodes data, SendRequest request) {
                // the baseline does nothing with an alarm
            }

            @Override
            public void onError(Registration registration, String errorMessage, Exception error) {
            }
        });
        server.start();
    }

    /** The {@code coaps://} URI the boxes register at. */
    public URI uri() {
        EndpointUri uri = server.getEndpoint(Protocol.COAPS).getURI();
        return URI.create("coaps://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + uri.getPort());
    }

    @Override
    public void close() {
        server.destroy();
    }
}
