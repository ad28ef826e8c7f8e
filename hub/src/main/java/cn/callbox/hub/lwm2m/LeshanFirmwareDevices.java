package cn.callbox.hub.lwm2m;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.request.AbstractSimpleDownlinkRequest;
import org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.firmware.FirmwareDevices;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject;

/**
 * {@link FirmwareDevices} over LwM2M: online = the box has a registration; status = READ of Firmware Update 5/0 (state
 * 3, update result 5) then of Device 3/0/3 (firmware version); WRITE of the Package URI 5/0/1 (a string); EXECUTE of
 * Update 5/0/2. Each request waits for the box's answer, at most the request timeout.
 * <p>
 * Never throws into the caller: a box that is not registered, refuses, or does not answer gives an empty status or
 * {@code false}, logged at INFO. Blocks the calling thread (the roll-out ticker). Thread-safe.
 */
final class LeshanFirmwareDevices implements FirmwareDevices {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanFirmwareDevices.class);

    static final int DEVICE_FIRMWARE_VERSION = 3;

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;

    /** @param timeoutMillis how long to wait for each answer of the box */
    LeshanFirmwareDevices(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public boolean online(String endpoint) {
        return registration(endpoint).isPresent();
    }

    @Override
    public Optional<Status> status(String endpoint) {
        Optional<Registered> box = registration(endpoint);
        if (box.isEmpty()) {
            return Optional.empty();
        }
        Optional<ReadResponse> firmware = exchange(box.get(), new ReadRequest(FirmwareUpdateObject.ID, 0));
        if (firmware.isEmpty()) {
            return Optional.empty();
        }
        LwM2mPath objectPath = new LwM2mPath(FirmwareUpdateObject.ID, 0);
        Optional<Integer> state = number(objectPath, firmware.get(), FirmwareUpdateObject.ID,
                FirmwareUpdateObject.STATE);
        Optional<Integer> result = number(objectPath, firmware.get(), FirmwareUpdateObject.ID,
                FirmwareUpdateObject.UPDATE_RESULT);
        if (state.isEmpty() || result.isEmpty()) {
            LOG.info("Firmware status of {}: 5/0/3 or 5/0/5 missing in the answer", endpoint);
            return Optional.empty();
        }
        Optional<ReadResponse> device = exchange(box.get(),
                new ReadRequest(LwM2mId.DEVICE, 0, DEVICE_FIRMWARE_VERSION));
        if (device.isEmpty()) {
            return Optional.empty();
        }
        LwM2mPath versionPath = new LwM2mPath(LwM2mId.DEVICE, 0, DEVICE_FIRMWARE_VERSION);
        Optional<Object> version = NodeValues.resourceValue(versionPath, device.get().getContent(), LwM2mId.DEVICE, 0,
                DEVICE_FIRMWARE_VERSION);
        Status status = new Status(state.get(), result.get(), version.map(String::valueOf).orElse(null));
        LOG.debug("Firmware status of {}: {}", endpoint, status);
        return Optional.of(status);
    }

    @Override
    public boolean writePackageUri(String endpoint, String uri) {
        Optional<Registered> box = registration(endpoint);
        return box.isPresent() && exchange(box.get(), new WriteRequest(FirmwareUpdateObject.ID, 0,
                FirmwareUpdateObject.PACKAGE_URI, uri == null ? "" : uri)).isPresent();
    }

    @Override
    public boolean executeUpdate(String endpoint) {
        Optional<Registered> box = registration(endpoint);
        return box.isPresent()
                && exchange(box.get(), new ExecuteRequest(FirmwareUpdateObject.ID, 0, FirmwareUpdateObject.UPDATE))
                        .isPresent();
    }

    private record Registered(LeshanServer server, Registration registration) {
    }

    private Optional<Registered> registration(String endpoint) {
        if (endpoint == null) {
            return Optional.empty();
        }
        return lifecycle.server().flatMap(server -> {
            Registration registration = server.getRegistrationService().getByEndpoint(endpoint);
            return registration == null ? Optional.empty() : Optional.of(new Registered(server, registration));
        });
    }

    private static Optional<Integer> number(LwM2mPath path, ReadResponse response, int object, int resource) {
        return NodeValues.resourceValue(path, response.getContent(), object, 0, resource)
                .filter(Number.class::isInstance).map(value -> ((Number) value).intValue());
    }

    /** The box's successful answer; empty (logged) when it refused, failed or did not answer in time. */
    private <T extends LwM2mResponse> Optional<T> exchange(Registered box, DownlinkDeviceManagementRequest<T> request) {
        String endpoint = box.registration().getEndpoint();
        String what = request.getClass().getSimpleName().replace("Request", "").toUpperCase(Locale.ROOT)
                + (request instanceof AbstractSimpleDownlinkRequest<?> simple ? " " + simple.getPath() : "");
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            box.server().send(box.registration(), request, timeoutMillis, answer::complete,
                    answer::completeExceptionally);
        } catch (RuntimeException e) {
            LOG.info("{} on {} not sent: {}", what, endpoint, e.toString());
            return Optional.empty();
        }
        try {
            // Leshan's own timeout ends the exchange first; this bound only guards against a lost callback
            T response = answer.get(timeoutMillis + 2_000, TimeUnit.MILLISECONDS);
            if (response.isSuccess()) {
                LOG.debug("{} on {}: {}", what, endpoint, response.getCode());
                return Optional.of(response);
            }
            LOG.info("{} on {} refused: {} {}", what, endpoint, response.getCode(),
                    Objects.toString(response.getErrorMessage(), ""));
        } catch (ExecutionException e) {
            LOG.info("{} on {} failed: {}", what, endpoint, e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.info("{} on {}: no answer", what, endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
