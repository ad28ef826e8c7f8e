package cn.callbox.hub.lwm2m;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.endpoint.LwM2mServerEndpoint;
import org.eclipse.leshan.server.registration.Deregistration;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationService;
import org.eclipse.leshan.server.registration.RegistrationServiceImpl;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.registry.CallBoxSessions;

/**
 * {@link CallBoxSessions} on the hub's Leshan server: terminates the DTLS connections of the identity on Scandium's
 * connector (removed from the session cache too, so no abbreviated handshake resumes them) and removes the box's
 * registration from Leshan's store, telling the registration listeners (presence shows the box offline). Thread-safe.
 */
final class LeshanCallBoxSessions implements CallBoxSessions {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanCallBoxSessions.class);

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;

    /** @param timeoutMillis how long to wait for the DTLS connector to end the sessions */
    LeshanCallBoxSessions(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void drop(String endpoint, String pskIdentity) {
        Optional<LeshanServer> running = lifecycle.server();
        if (running.isEmpty()) {
            return;
        }
        try {
            endDtlsSessions(running.get(), endpoint, pskIdentity);
        } catch (RuntimeException e) {
            LOG.error("Could not end the DTLS sessions of call box {}: {}", endpoint, e.toString(), e);
        }
        try {
            removeRegistration(running.get(), endpoint);
        } catch (RuntimeException e) {
            LOG.error("Could not drop the registration of call box {}: {}", endpoint, e.toString(), e);
        }
    }

    private void endDtlsSessions(LeshanServer server, String endpoint, String pskIdentity) {
        LwM2mServerEndpoint secure = server.getEndpoint(Protocol.COAPS);
        if (!(secure instanceof CaliforniumServerEndpoint californium)) {
            return;
        }
        Connector connector = californium.getCoapEndpoint().getConnector();
        if (!(connector instanceof DTLSConnector dtls)) {
            return;
        }
        Future<Void> done = dtls.startTerminateConnectionsForPrincipal(p -> hasIdentity(p, pskIdentity), true);
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
            LOG.info("Ended the DTLS sessions of call box {}", endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while ending the DTLS sessions of call box {}", endpoint);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Ending the DTLS sessions of call box {} failed: {}", endpoint, e.toString());
        }
    }

    private static boolean hasIdentity(Principal principal, String pskIdentity) {
        return principal instanceof PreSharedKeyIdentity psk && pskIdentity != null
                && pskIdentity.equals(psk.getIdentity());
    }

    private static void removeRegistration(LeshanServer server, String endpoint) {
        RegistrationService registrations = server.getRegistrationService();
        Registration registration = registrations.getByEndpoint(endpoint);
        if (registration == null) {
            return;
        }
        Deregistration removed = server.getRegistrationStore().removeRegistration(registration.getId());
        if (removed == null) {
            return;
        }
        LOG.info("Dropped the registration of call box {}", endpoint);
        // Leshan's own registration service: tell its listeners as a DEREGISTER would (not expired, no successor)
        if (registrations instanceof RegistrationServiceImpl impl) {
            impl.fireUnregistered(removed.getRegistration(), removed.getObservations(), null);
        }
    }
}
