package cn.callbox.hub.lwm2m;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
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
 * Every method returns at once; requests go out asynchronously and their answers arrive on CoAP threads. A box that
 * is not registered is logged at WARN and skipped (nothing is queued yet); a refusal or timeout is logged with the
 * endpoint and path. Nothing is ever thrown to the caller. Thread-safe.
 */
final class LeshanCallBoxCommands implements CallBoxCommands {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanCallBoxCommands.class);

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;

    LeshanCallBoxCommands(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends the duration in whole seconds, at least 1; the box caps it at its own maximum. */
    @Override
    public void soundSiren(String endpoint, SirenPattern pattern, Duration duration) {
        if (pattern == null || duration == null || duration.isNegative()) {
            LOG.warn("Siren on {} not sounded: pattern {} and duration {} are required", endpoint, pattern, duration);
            return;
        }
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
        send(endpoint, new ExecuteRequest(SirenObject.ID, 0, SirenObject.STOP), null);
    }

    /** Writes the text, and starts the announcement only once the box has taken the text. */
    @Override
    public void announce(String endpoint, String text, SoundPriority priority) {
        if (text == null || text.isBlank() || priority == null) {
            LOG.warn("Announcement on {} skipped: text and priority are required", endpoint);
            return;
        }
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
        send(endpoint, new WriteRequest(Mode.UPDATE, CallStatusObject.ID, 0,
                LwM2mSingleResource.newStringResource(CallStatusObject.STATE, state.wireName()),
                LwM2mSingleResource.newStringResource(CallStatusObject.INCIDENT,
                        incidentId == null ? "" : incidentId)),
                null);
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
