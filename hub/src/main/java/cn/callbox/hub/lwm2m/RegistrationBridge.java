package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.Liveness;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.protocol.lwm2m.RegistrationAttributes;

/**
 * Turns Leshan registration events into presence (online, offline, last seen) and starts the observations of every
 * new registration. A re-registration (a box that restarted) gets fresh observations: Leshan drops the old ones on a
 * new REGISTER. Called on CoAP threads after the box has been answered; returns quickly.
 */
final class RegistrationBridge implements RegistrationListener {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationBridge.class);

    private final PresenceUpdates presence;
    private final ObservationBridge observations;
    private final Clock clock;

    RegistrationBridge(PresenceUpdates presence, ObservationBridge observations, Clock clock) {
        this.presence = Objects.requireNonNull(presence, "presence");
        this.observations = Objects.requireNonNull(observations, "observations");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void registered(Registration registration, Registration previousReg,
            Collection<Observation> previousObservations) {
        LOG.info("Call box {} registered from {}{}", registration.getEndpoint(),
                registration.getClientTransportData(), previousReg == null ? "" : " (again)");
        presence.registered(registration.getEndpoint(), clock.instant(), liveness(registration));
        observations.forget(registration.getEndpoint());
        observations.observe(registration);
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updatedReg, Registration previousReg) {
        if (update.getLifeTimeInSec() != null) {
            // a new lifetime: supervised by it from now on
            presence.registered(updatedReg.getEndpoint(), clock.instant(), liveness(updatedReg));
        } else {
            presence.seen(updatedReg.getEndpoint(), clock.instant());
        }
    }

    /**
     * What the box promised: its lifetime, and the heartbeat our boxes announce in the REGISTER
     * ({@link RegistrationAttributes#HEARTBEAT_SECONDS}). A heartbeat that is not a whole number of seconds between 1
     * and the lifetime is ignored (the box is supervised by its lifetime).
     */
    static Liveness liveness(Registration registration) {
        Duration lifetime = registration.getLifeTimeInSec() == null ? null
                : Duration.ofSeconds(registration.getLifeTimeInSec());
        Map<String, String> attributes = registration.getAdditionalRegistrationAttributes();
        String announced = attributes == null ? null : attributes.get(RegistrationAttributes.HEARTBEAT_SECONDS);
        Duration heartbeat = null;
        if (announced != null) {
            try {
                long seconds = Long.parseLong(announced.trim());
                if (seconds >= 1 && (lifetime == null || seconds <= lifetime.toSeconds())) {
                    heartbeat = Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // not a number: supervised by the lifetime
            }
            if (heartbeat == null) {
                LOG.warn("Call box {} announced an unusable heartbeat '{}'; supervised by its lifetime",
                        registration.getEndpoint(), announced);
            }
        }
        return new Liveness(lifetime, heartbeat);
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration newReg) {
        if (newReg != null) {
            // replaced by a new registration of the same box: registered(..) handles it
            return;
        }
        LOG.info("Call box {} {}", registration.getEndpoint(), expired ? "expired (no update in its lifetime)"
                : "deregistered");
        this.observations.forget(registration.getEndpoint());
        presence.offline(registration.getEndpoint());
    }
}
