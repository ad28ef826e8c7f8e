package cn.callbox.hub.lwm2m;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.AbstractSimpleDownlinkRequest;
import org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.request.argument.InvalidArgumentException;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.CallBoxActions;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * {@link CallBoxActions} over LwM2M, each request answered before the next: siren test = EXECUTE 33002/0/3 with
 * pattern {@code test} and 5 s, stop = EXECUTE 33002/0/4, announce = WRITE 33003/0/1 then (only once the box took the
 * text) EXECUTE 33003/0/4, reboot = EXECUTE 3/0/4.
 * <p>
 * A box answers 4.12 Precondition Failed when it sounds something of higher priority than what is asked (a siren
 * test or an ordinary announcement while it sounds a villager's alarm): that is {@link Result#BUSY}, not a refusal,
 * since the box did what it must.
 * <p>
 * Blocks the calling thread for at most the request timeout per request (two for an announcement). Thread-safe.
 */
final class LeshanCallBoxActions implements CallBoxActions {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanCallBoxActions.class);

    /** Device object 3, resource 4 Reboot. */
    static final int REBOOT = 4;

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;

    /** @param timeoutMillis how long to wait for each answer of the box */
    LeshanCallBoxActions(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Outcome run(String endpoint, Action action, String text) {
        Objects.requireNonNull(action, "action");
        Optional<LeshanServer> server = lifecycle.server();
        Registration registration = server.isEmpty() || endpoint == null ? null
                : server.get().getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            LOG.info("{} on {} not sent: the box is not registered", action.wireName(), endpoint);
            return new Outcome(Result.OFFLINE, null, "The call box is not registered with the hub: nothing was sent.");
        }
        LeshanServer leshan = server.get();
        return switch (action) {
        case SIREN_TEST -> exchange(leshan, registration, sirenTest(),
                "The box sounds its siren (pattern test, " + Action.SIREN_TEST_SECONDS + " s).");
        case STOP_SIREN -> exchange(leshan, registration, new ExecuteRequest(SirenObject.ID, 0, SirenObject.STOP),
                "The box stopped its siren.");
        case ANNOUNCE -> announce(leshan, registration, text);
        case REBOOT -> exchange(leshan, registration, new ExecuteRequest(LwM2mId.DEVICE, 0, REBOOT),
                "The box restarts now.");
        };
    }

    private Outcome announce(LeshanServer leshan, Registration registration, String text) {
        if (text == null || text.isBlank()) {
            return new Outcome(Result.REFUSED, null, "No text to announce: nothing was sent.");
        }
        Outcome written = exchange(leshan, registration,
                new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.TEXT, text), "The box took the text.");
        if (!written.ok()) {
            return written;
        }
        return exchange(leshan, registration, new ExecuteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.ANNOUNCE),
                "The box announces the text.");
    }

    private static ExecuteRequest sirenTest() {
        try {
            return new ExecuteRequest(SirenObject.ID, 0, SirenObject.START, Arguments.builder()
                    .addArgument(SirenObject.START_ARG_PATTERN, SirenPattern.TEST.wireName())
                    .addArgument(SirenObject.START_ARG_DURATION, Integer.toString(Action.SIREN_TEST_SECONDS))
                    .build());
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException("siren test arguments rejected by Leshan", e);
        }
    }

    private <T extends LwM2mResponse> Outcome exchange(LeshanServer leshan, Registration registration,
            DownlinkDeviceManagementRequest<T> request, String done) {
        String what = describe(request);
        String endpoint = registration.getEndpoint();
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            leshan.send(registration, request, timeoutMillis, answer::complete, answer::completeExceptionally);
        } catch (RuntimeException e) {
            LOG.warn("{} on {} not sent: {}", what, endpoint, e.toString());
            return new Outcome(Result.NO_ANSWER, null, what + " could not be sent: " + e.getMessage());
        }
        try {
            // Leshan's own timeout ends the exchange first; this bound only guards against a lost callback
            T response = answer.get(timeoutMillis + 2_000, TimeUnit.MILLISECONDS);
            String code = response.getCode().getName();
            if (response.isSuccess()) {
                LOG.info("{} on {}: {}", what, endpoint, code);
                return new Outcome(Result.OK, code, done);
            }
            String error = response.getErrorMessage();
            if (ResponseCode.PRECONDITION_FAILED.equals(response.getCode())) {
                LOG.info("{} on {} not carried out, the box sounds something of higher priority: {}", what, endpoint,
                        Objects.toString(error, ""));
                return new Outcome(Result.BUSY, code, "The box is sounding something of higher priority (an alarm "
                        + "or a drill) and keeps sounding it: " + what + " was not carried out"
                        + (error == null || error.isBlank() ? "" : " (" + error + ")") + ".");
            }
            LOG.warn("{} on {} refused: {} {}", what, endpoint, code, Objects.toString(error, ""));
            return new Outcome(Result.REFUSED, code, "The box refused " + what + ": " + code
                    + (error == null || error.isBlank() ? "" : " (" + error + ")") + ".");
        } catch (ExecutionException e) {
            LOG.warn("{} on {} failed: {}", what, endpoint, e.getCause().toString());
            return noAnswer(what, e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("{} on {}: no answer", what, endpoint);
            return noAnswer(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.NO_ANSWER, null, what + " was abandoned: the hub is shutting down.");
        }
    }

    private Outcome noAnswer(String what, Throwable cause) {
        boolean timeout = cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
        return new Outcome(Result.NO_ANSWER, null, timeout
                ? "The box did not answer " + what + " within " + timeoutMillis / 1000.0 + " s."
                : what + " failed: " + cause.getMessage());
    }

    private static String describe(DownlinkDeviceManagementRequest<?> request) {
        String kind = request instanceof ExecuteRequest ? "EXECUTE" : request instanceof WriteRequest ? "WRITE"
                : "request";
        return request instanceof AbstractSimpleDownlinkRequest<?> simple ? kind + " " + simple.getPath() : kind;
    }
}
