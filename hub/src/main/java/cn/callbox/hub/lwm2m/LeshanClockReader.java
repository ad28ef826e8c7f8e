package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.ResponseCode;
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

import cn.callbox.hub.device.ClockOffset;
import cn.callbox.hub.device.PresenceUpdates;

/**
 * Measures each call box's clock offset: a READ of Device Current Time 3/0/13, timed on the hub's clock (see
 * {@link ClockOffset} for the arithmetic and its precision), fed into the presence.
 * <p>
 * When: at every registration, and on a registration UPDATE (our boxes' 20 s heartbeat) only once
 * {@code rereadAfter} (5 min in production) has passed since the box was last asked. A read on every heartbeat would be
 * one more CoAP exchange per box every 20 s (500 a second at 10,000 boxes); every 5 min it is 33 a second at 10,000
 * boxes, a fifteenth of the heartbeats themselves, and a clock that drifts or is set wrong still shows within minutes.
 * The read rides on the DTLS session the box just used, so it needs no handshake. A box that does not serve 3/0/13
 * (answers 4.04 or 4.05) is not asked again until it registers again; one that does not answer is asked again at the
 * next heartbeat after {@code rereadAfter}. At most one read per box is under way.
 * <p>
 * A {@link SmartLifecycle} started just after the LwM2M server, so that it hears every registration. Registration
 * events arrive on CoAP threads; the read is asynchronous, so they return at once. Thread-safe.
 */
final class LeshanClockReader implements RegistrationListener, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanClockReader.class);

    /** How long a measurement stands before a heartbeat asks the box again, in production. */
    static final Duration REREAD_AFTER = Duration.ofMinutes(5);
    static final int CURRENT_TIME = 13;
    static final LwM2mPath DEVICE = new LwM2mPath(LwM2mId.DEVICE, 0);

    private final LeshanServerLifecycle lifecycle;
    private final PresenceUpdates presence;
    private final Clock clock;
    private final long timeoutMillis;
    private final Duration rereadAfter;
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();
    private volatile LeshanServer listeningTo;

    /**
     * What was last asked of one box.
     *
     * @param at when the last read was sent
     * @param underWay no answer or failure yet
     * @param unserved the box answered that it does not serve 3/0/13
     */
    private record Asked(Instant at, boolean underWay, boolean unserved) {
    }

    /**
     * @param timeoutMillis how long each READ may take
     * @param rereadAfter how long a measurement stands before an UPDATE asks again
     */
    LeshanClockReader(LeshanServerLifecycle lifecycle, PresenceUpdates presence, Clock clock, long timeoutMillis,
            Duration rereadAfter) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutMillis = timeoutMillis;
        this.rereadAfter = Objects.requireNonNull(rereadAfter, "rereadAfter");
    }

    @Override
    public void registered(Registration registration, Registration previousReg,
            Collection<Observation> previousObservations) {
        // a new registration may be new firmware or a new box: what it served before does not count
        asked.remove(registration.getEndpoint());
        readIfDue(registration);
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updatedReg, Registration previousReg) {
        readIfDue(updatedReg);
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration newReg) {
        if (newReg == null) {
            asked.remove(registration.getEndpoint());
        }
    }

    /** Sends a read unless one is under way, the box does not serve the time, or the last read is recent. */
    private void readIfDue(Registration registration) {
        LeshanServer server = listeningTo;
        if (server == null || !registration.getAvailableInstances().contains(DEVICE)) {
            return;
        }
        String endpoint = registration.getEndpoint();
        Instant now = clock.instant();
        boolean[] due = { false };
        asked.compute(endpoint, (e, last) -> {
            if (last != null && (last.underWay() || last.unserved() || last.at().plus(rereadAfter).isAfter(now))) {
                return last;
            }
            due[0] = true;
            return new Asked(now, true, false);
        });
        if (due[0]) {
            read(server, registration);
        }
    }

    private void read(LeshanServer server, Registration registration) {
        String endpoint = registration.getEndpoint();
        ReadRequest request = new ReadRequest(LwM2mId.DEVICE, 0, CURRENT_TIME);
        try {
            Instant sentAt = clock.instant();
            server.send(registration, request, timeoutMillis,
                    response -> answered(endpoint, request.getPath(), sentAt, clock.instant(), response),
                    error -> {
                        LOG.debug("Read of {} on {} failed: {}", request.getPath(), endpoint, error.toString());
                        done(endpoint, false);
                    });
        } catch (RuntimeException e) {
            LOG.debug("Read of {} on {} not sent: {}", request.getPath(), endpoint, e.toString());
            done(endpoint, false);
        }
    }

    private void answered(String endpoint, LwM2mPath path, Instant sentAt, Instant receivedAt, ReadResponse response) {
        if (!response.isSuccess()) {
            boolean unserved = response.getCode() == ResponseCode.NOT_FOUND
                    || response.getCode() == ResponseCode.METHOD_NOT_ALLOWED;
            LOG.debug("Call box {} answered the read of its Current Time with {}", endpoint, response.getCode());
            done(endpoint, unserved);
            return;
        }
        done(endpoint, false);
        Optional<Instant> boxTime = NodeValues.resourceValue(path, response.getContent(), LwM2mId.DEVICE, 0,
                CURRENT_TIME).flatMap(LeshanClockReader::instant);
        if (boxTime.isEmpty()) {
            LOG.info("Call box {} answered the read of its Current Time without a time: {}", endpoint,
                    response.getContent());
            return;
        }
        ClockOffset offset;
        try {
            offset = ClockOffset.measure(boxTime.get(), sentAt, receivedAt);
        } catch (IllegalArgumentException e) {
            LOG.info("Clock offset of call box {} not measured: {}", endpoint, e.getMessage());
            return;
        }
        LOG.debug("Call box {} clock: {} ({}), offset {}", endpoint, boxTime.get(), receivedAt, offset);
        presence.clockOffset(endpoint, offset);
    }

    /** Time values decode to a {@link Date}; a client that sends a plain number sends seconds since the epoch. */
    private static Optional<Instant> instant(Object value) {
        if (value instanceof Date date) {
            return Optional.of(date.toInstant());
        }
        if (value instanceof Instant instant) {
            return Optional.of(instant);
        }
        if (value instanceof Number seconds) {
            return Optional.of(Instant.ofEpochSecond(seconds.longValue()));
        }
        return Optional.empty();
    }

    /** The read ended; the box is asked again after {@code rereadAfter}, unless it does not serve the time. */
    private void done(String endpoint, boolean unserved) {
        asked.computeIfPresent(endpoint, (e, last) -> new Asked(last.at(), false, unserved));
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
        asked.clear();
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
