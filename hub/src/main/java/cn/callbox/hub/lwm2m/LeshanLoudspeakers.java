package cn.callbox.hub.lwm2m;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.callbox.hub.announcement.Loudspeakers;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;

/**
 * {@link Loudspeakers} over LwM2M, one box after another request by request: WRITE 33003/0/1 (text) or 33003/0/2
 * (clip), WRITE 33003/0/3 (repeat) when it is not 1, then EXECUTE 33003/0/4 (Announce). Each request waits only for
 * what is left of the timeout. Once the box has announced, a clip and a repeat count are written back to "" and 1
 * (the box reads them when Announce runs), so that the incident path's later text-only announcements are said once
 * and are not replaced by the clip; that reset is best effort and logged when it fails.
 * <p>
 * Results: {@code announced}; {@code offline} for a box that is not registered (or no LwM2M server);
 * {@code timeout}; {@code busy} when the box answers Announce with 4.12 (it is playing an alarm or drill announcement,
 * which an ordinary one never cuts into); {@code refused: <code> <message> (<path>)}; {@code error: <what>}.
 * Thread-safe.
 */
@Component
final class LeshanLoudspeakers implements Loudspeakers {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanLoudspeakers.class);

    private final LeshanServerLifecycle lifecycle;

    LeshanLoudspeakers(LeshanServerLifecycle lifecycle) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    @Override
    public CompletableFuture<Delivery> announce(String endpoint, Speech speech, Duration timeout) {
        Optional<LeshanServer> server = lifecycle.server();
        Registration registration = server.isEmpty() || endpoint == null ? null
                : server.get().getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            return CompletableFuture.completedFuture(Delivery.failed(Delivery.OFFLINE));
        }
        List<DownlinkDeviceManagementRequest<?>> steps = new ArrayList<>();
        if (speech.clip() != null) {
            steps.add(new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.CLIP, speech.clip()));
        } else {
            steps.add(new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.TEXT, speech.text()));
        }
        if (speech.repeat() != 1) {
            steps.add(new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.REPEAT, (long) speech.repeat()));
        }
        steps.add(new ExecuteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.ANNOUNCE));
        CompletableFuture<Delivery> delivery = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        next(server.get(), registration, steps, 0, deadline, delivery);
        delivery.thenAccept(done -> {
            if (done.ok()) {
                reset(server.get(), registration, speech);
            }
        });
        return delivery;
    }

    private void next(LeshanServer server, Registration registration, List<DownlinkDeviceManagementRequest<?>> steps,
            int index, long deadline, CompletableFuture<Delivery> delivery) {
        if (index == steps.size()) {
            delivery.complete(Delivery.announced());
            return;
        }
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            delivery.complete(Delivery.failed(Delivery.TIMEOUT));
            return;
        }
        send(server, registration, steps.get(index), leftMillis,
                () -> next(server, registration, steps, index + 1, deadline, delivery), delivery);
    }

    private <T extends LwM2mResponse> void send(LeshanServer server, Registration registration,
            DownlinkDeviceManagementRequest<T> request, long timeoutMillis, Runnable onSuccess,
            CompletableFuture<Delivery> delivery) {
        String endpoint = registration.getEndpoint();
        try {
            server.send(registration, request, timeoutMillis, response -> {
                if (response.isSuccess()) {
                    onSuccess.run();
                } else if (ResponseCode.PRECONDITION_FAILED.equals(response.getCode())) {
                    LOG.info("Announcement on {} not played, the box is playing one of higher priority: {}", endpoint,
                            Objects.toString(response.getErrorMessage(), ""));
                    delivery.complete(Delivery.failed(Delivery.BUSY));
                } else {
                    String message = response.getErrorMessage();
                    String refused = "refused: " + response.getCode() + (message == null || message.isBlank() ? ""
                            : " " + message.strip()) + " (" + path(request) + ")";
                    LOG.warn("Announcement on {}: {}", endpoint, refused);
                    delivery.complete(Delivery.failed(refused));
                }
            }, error -> {
                boolean timedOut = error instanceof org.eclipse.leshan.core.request.exception.TimeoutException
                        || error instanceof TimeoutException;
                LOG.warn("Announcement on {}: {} {}", endpoint, path(request), error.toString());
                delivery.complete(Delivery.failed(timedOut ? Delivery.TIMEOUT : "error: " + error.getMessage()));
            });
        } catch (RuntimeException e) {
            LOG.warn("Announcement on {}: {} not sent: {}", endpoint, path(request), e.toString());
            delivery.complete(Delivery.failed("error: " + e.getMessage()));
        }
    }

    /** Leaves the box as the incident path expects it: no clip, said once. */
    private void reset(LeshanServer server, Registration registration, Speech speech) {
        List<WriteRequest> resets = new ArrayList<>();
        if (speech.clip() != null) {
            resets.add(new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.CLIP, ""));
        }
        if (speech.repeat() != 1) {
            resets.add(new WriteRequest(LoudspeakerObject.ID, 0, LoudspeakerObject.REPEAT, 1L));
        }
        for (WriteRequest reset : resets) {
            try {
                server.send(registration, reset, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS, response -> {
                    if (!response.isSuccess()) {
                        LOG.warn("Loudspeaker reset {} on {} refused: {}", reset.getPath(),
                                registration.getEndpoint(), response.getCode());
                    }
                }, error -> LOG.warn("Loudspeaker reset {} on {} failed: {}", reset.getPath(),
                        registration.getEndpoint(), error.toString()));
            } catch (RuntimeException e) {
                LOG.warn("Loudspeaker reset {} on {} not sent: {}", reset.getPath(), registration.getEndpoint(),
                        e.toString());
            }
        }
    }

    private static String path(DownlinkDeviceManagementRequest<?> request) {
        if (request instanceof WriteRequest write) {
            return String.valueOf(write.getPath());
        }
        if (request instanceof ExecuteRequest execute) {
            return String.valueOf(execute.getPath());
        }
        return request.toString();
    }
}
