package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.request.AbstractSimpleDownlinkRequest;
import org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.request.WriteRequest.Mode;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.request.argument.InvalidArgumentException;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.CallBoxCommands;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * {@link CallBoxCommands} over LwM2M: siren START/STOP executes on 33002/0, announcements as a WRITE of 33003/0/1
 * then EXECUTE 33003/0/4 with the priority as argument 0, call status as a partial-update WRITE of 33004/0. A box
 * answers 4.12 Precondition Failed when it sounds something of higher priority (a drill siren at a box sounding a
 * villager's alarm): that is logged at INFO, the box did right.
 * <p>
 * Every method returns at once; requests go out asynchronously and their answers arrive on CoAP threads. A command for
 * a box that is not registered (or while the LwM2M server is not running) waits in {@link PendingCommands} and goes
 * out when the box registers ({@link #registrationListener()}): a siren no longer than it would have sounded, any
 * command at most {@code maxWait}; a siren or announcement of an incident that ended meanwhile never. A refusal or
 * timeout is logged with the endpoint and path. Nothing is ever thrown to the caller. Thread-safe.
 */
final class LeshanCallBoxCommands implements CallBoxCommands {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanCallBoxCommands.class);

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;
    private final PendingCommands pending;

    /** Commands for unregistered boxes wait {@code maxWait} at most. */
    LeshanCallBoxCommands(LeshanServerLifecycle lifecycle, long timeoutMillis, Clock clock, Duration maxWait) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
        this.pending = new PendingCommands(clock, maxWait);
    }

    /** Commands for unregistered boxes wait 10 minutes at most, on the system clock. */
    LeshanCallBoxCommands(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this(lifecycle, timeoutMillis, Clock.systemUTC(), Duration.ofMinutes(10));
    }

    /** Sends the commands that waited for a box when it registers; add it to the server's registration service. */
    RegistrationListener registrationListener() {
        return new RegistrationListener() {
            @Override
            public void registered(Registration registration, Registration previousReg,
                    Collection<Observation> previousObservations) {
                deliverWaiting(registration.getEndpoint());
            }

            @Override
            public void updated(RegistrationUpdate update, Registration updatedReg, Registration previousReg) {
                // commands wait only while there is no registration: an update finds none waiting
            }

            @Override
            public void unregistered(Registration registration, Collection<Observation> observations,
                    boolean expired, Registration newReg) {
                // what is sent while the box is away waits from then on
            }
        };
    }

    @Override
    public void soundSiren(String endpoint, SirenPattern pattern, Duration duration) {
        soundSiren(null, endpoint, pattern, duration);
    }

    /**
     * Sends the duration in whole seconds, at least 1; the box caps it at its own maximum. A siren that waited for its
     * box sounds only for what is left of {@code duration}.
     */
    @Override
    public void soundSiren(String incidentId, String endpoint, SirenPattern pattern, Duration duration) {
        if (pattern == null || duration == null || duration.isNegative()) {
            LOG.warn("Siren on {} not sounded: pattern {} and duration {} are required", endpoint, pattern, duration);
            return;
        }
        nowOrWhenRegistered(endpoint, "Siren start", () -> sendSiren(endpoint, pattern, duration),
                () -> pending.siren(endpoint, incidentId, duration,
                        waited -> sendSiren(endpoint, pattern, duration.minus(waited))));
    }

    private void sendSiren(String endpoint, SirenPattern pattern, Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        Arguments arguments;
        try {
            arguments = Arguments.builder()
                    .addArgument(SirenObject.START_ARG_PATTERN, pattern.wireName())
                    .addArgument(SirenObject.START_ARG_DURATION, Long.toString(seconds))
                    .build();
        } catch (InvalidArgumentException e) {
            LOG.error("Siren on {} not sounded: bad arguments: {}", endpoint, e.getMessage());
            return;
        }
        send(endpoint, new ExecuteRequest(SirenObject.ID, 0, SirenObject.START, arguments), null);
    }

    @Override
    public void stopSiren(String endpoint) {
        stopSiren(null, endpoint);
    }

    /** A box that is not registered gets no stop later (its siren runs out); its waiting siren is dropped. */
    @Override
    public void stopSiren(String incidentId, String endpoint) {
        if (endpoint != null && pending.sirenStopped(endpoint, incidentId)) {
            LOG.info("Waiting siren start for {} dropped: stopped{}", endpoint,
                    incidentId == null ? "" : " (incident " + incidentId + ")");
        }
        send(endpoint, new ExecuteRequest(SirenObject.ID, 0, SirenObject.STOP), null);
    }

    @Override
    public void announce(String endpoint, String text, SoundPriority priority) {
        announce(null, endpoint, text, priority);
    }

    /** Writes the text, and starts the announcement at {@code priority} only once the box has taken the text. */
    @Override
    public void announce(String incidentId, String endpoint, String text, SoundPriority priority) {
        if (text == null || text.isBlank() || priority == null) {
            LOG.warn("Announcement on {} skipped: text and priority are required", endpoint);
            return;
        }
        nowOrWhenRegistered(endpoint, "Announcement", () -> sendAnnouncement(endpoint, text, priority), () -> {
            if (!pending.announcement(endpoint, incidentId, waited -> sendAnnouncement(endpoint, text, priority))) {
                LOG.warn("Announcement on {} dropped: {} already wait for the box", endpoint,
                        PendingCommands.MAX_ANNOUNCEMENTS);
            }
        });
    }

    private void sendAnnouncement(String endpoint, String text, SoundPriority priority) {
        Arguments arguments;
        try {
            arguments = Arguments.builder().addArgument(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY, priority.wireName())
                    .build();
        } catch (InvalidArgumentException e) {
            LOG.error("Announcement on {} not made: bad arguments: {}", endpoint, e.getMessage());
            return;
        }
        send(endpoint, new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.TEXT, text),
                written -> send(endpoint,
                        new ExecuteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.ANNOUNCE, arguments), null));
    }

    /** An incident id of null is written as an empty string (no incident). */
    @Override
    public void showCallStatus(String endpoint, CallState state, String incidentId) {
        if (state == null) {
            LOG.warn("Call status on {} not shown: no state", endpoint);
            return;
        }
        nowOrWhenRegistered(endpoint, "Call status", () -> sendCallStatus(endpoint, state, incidentId),
                () -> pending.callStatus(endpoint, incidentId, waited -> sendCallStatus(endpoint, state, incidentId)));
    }

    private void sendCallStatus(String endpoint, CallState state, String incidentId) {
        send(endpoint, new WriteRequest(Mode.UPDATE, CallStatusObject.ID, 0,
                LwM2mSingleResource.newStringResource(CallStatusObject.STATE, state.wireName()),
                LwM2mSingleResource.newStringResource(CallStatusObject.INCIDENT,
                        incidentId == null ? "" : incidentId)),
                null);
    }

    @Override
    public void incidentEnded(String incidentId) {
        if (incidentId == null) {
            return;
        }
        int dropped = pending.incidentEnded(incidentId);
        if (dropped > 0) {
            LOG.info("Incident {} ended: {} waiting siren start(s) and announcement(s) dropped", incidentId, dropped);
        }
    }

    /** How many commands wait for the box to register. */
    int waiting(String endpoint) {
        return pending.waiting(endpoint);
    }

    /**
     * Runs {@code now} when the box is registered, else keeps the command with {@code keep}; a box that registered
     * while it was being kept gets it at once (its registration event may have passed already).
     */
    private void nowOrWhenRegistered(String endpoint, String what, Runnable now, Runnable keep) {
        if (endpoint == null) {
            LOG.warn("{} skipped: no endpoint", what);
            return;
        }
        if (registration(endpoint) != null) {
            now.run();
            return;
        }
        keep.run();
        LOG.info("{} for {} waits until the box registers again", what, endpoint);
        if (registration(endpoint) != null) {
            deliverWaiting(endpoint);
        }
    }

    private void deliverWaiting(String endpoint) {
        List<Runnable> due = pending.take(endpoint);
        if (!due.isEmpty()) {
            LOG.info("Call box {} registered: sending {} command(s) that waited for it", endpoint, due.size());
        }
        for (Runnable command : due) {
            try {
                command.run();
            } catch (RuntimeException e) {
                LOG.warn("A waiting command for {} failed: {}", endpoint, e.toString());
            }
        }
    }

    private Registration registration(String endpoint) {
        return lifecycle.server().map(running -> running.getRegistrationService().getByEndpoint(endpoint))
                .orElse(null);
    }

    private <T extends LwM2mResponse> void send(String endpoint, DownlinkDeviceManagementRequest<T> request,
            Consumer<T> onSuccess) {
        String path = request instanceof AbstractSimpleDownlinkRequest<?> simple ? String.valueOf(simple.getPath())
                : request.toString();
        Optional<LeshanServer> server = lifecycle.server();
        if (server.isEmpty()) {
            LOG.warn("{} {} on {} skipped: the LwM2M server is not running", kind(request), path, endpoint);
            return;
        }
        Registration registration = endpoint == null ? null
                : server.get().getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            LOG.warn("{} {} on {} skipped: the box is not registered", kind(request), path, endpoint);
            return;
        }
        try {
            server.get().send(registration, request, timeoutMillis, response -> {
                if (response.isSuccess()) {
                    LOG.debug("{} {} on {}: {}", kind(request), path, endpoint, response.getCode());
                    if (onSuccess != null) {
                        onSuccess.accept(response);
                    }
                } else if (ResponseCode.PRECONDITION_FAILED.equals(response.getCode())) {
                    LOG.info("{} {} on {} not carried out, the box sounds something of higher priority: {}",
                            kind(request), path, endpoint, Objects.toString(response.getErrorMessage(), ""));
                } else {
                    LOG.warn("{} {} on {} refused: {} {}", kind(request), path, endpoint, response.getCode(),
                            Objects.toString(response.getErrorMessage(), ""));
                }
            }, error -> LOG.warn("{} {} on {} failed: {}", kind(request), path, endpoint, error.toString()));
        } catch (RuntimeException e) {
            LOG.warn("{} {} on {} not sent: {}", kind(request), path, endpoint, e.toString());
        }
    }

    private static String kind(DownlinkDeviceManagementRequest<?> request) {
        return request instanceof ExecuteRequest ? "Execute" : request instanceof WriteRequest ? "Write" : "Request";
    }
}
