package cn.callbox.hub.lwm2m;

import java.util.Objects;

import org.eclipse.leshan.core.endpoint.EndpointUri;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.peer.LwM2mPeer;
import org.eclipse.leshan.core.request.DeregisterRequest;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UpdateRequest;
import org.eclipse.leshan.core.request.UplinkRequest;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.DefaultAuthorizer;
import org.eclipse.leshan.servers.security.Authorization;
import org.eclipse.leshan.servers.security.SecurityStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets only call boxes the registry knows register.
 * <ul>
 * <li>An endpoint without a key in the registry is refused, whatever the transport.</li>
 * <li>Over DTLS the box must present the PSK identity stored for its endpoint (Leshan's default check): one box's key
 * cannot register another box.</li>
 * <li>Over plain CoAP (development endpoint only, off unless configured) a known endpoint is let in without DTLS,
 * because that endpoint exists for demo boxes without keys configured. Production never opens it.</li>
 * </ul>
 * Other requests (Send, notifications) must come from the identity that registered (Leshan's default check).
 * Thread-safe; called on transport threads.
 */
final class CallBoxAuthorizer extends DefaultAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(CallBoxAuthorizer.class);

    private final SecurityStore store;

    CallBoxAuthorizer(SecurityStore store) {
        super(store);
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Authorization isAuthorized(UplinkRequest<?> request, Registration registration, LwM2mPeer sender,
            EndpointUri endpointUri) {
        if (request instanceof RegisterRequest && store.getByEndpoint(registration.getEndpoint()) == null) {
            LOG.warn("Refused registration of endpoint '{}' from {}: not in the registry", registration.getEndpoint(),
                    sender);
            return Authorization.declined();
        }
        Authorization authorization = super.isAuthorized(request, registration, sender, endpointUri);
        if (authorization.isDeclined() && request instanceof RegisterRequest) {
            LOG.warn("Refused registration of endpoint '{}' from {}: its identity is not the one stored for it",
                    registration.getEndpoint(), sender);
        }
        return authorization;
    }

    @Override
    protected Authorization checkIdentity(UplinkRequest<?> request, Registration registration, LwM2mPeer sender,
            EndpointUri endpointUri) {
        boolean registrationRequest = request instanceof RegisterRequest || request instanceof UpdateRequest
                || request instanceof DeregisterRequest;
        if (registrationRequest && isPlainCoap(endpointUri)
                && store.getByEndpoint(registration.getEndpoint()) != null) {
            return Authorization.approved();
        }
        return super.checkIdentity(request, registration, sender, endpointUri);
    }

    private static boolean isPlainCoap(EndpointUri endpointUri) {
        return endpointUri != null && Protocol.COAP.getUriScheme().equals(endpointUri.getScheme());
    }
}
