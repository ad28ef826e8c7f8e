package cn.callbox.hub.lwm2m;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mResourceInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.supervision.SelfTestCommand;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;

/**
 * {@link SelfTestCommand} over LwM2M: EXECUTE 33000/0/3 (the box runs its checks before it answers; silent, or with
 * argument {@code 0='audible'} audible), then READ of Device 3/0/11 Error Code. The box reports each failed check as
 * one error code: 0 = no error, 1 = low battery, 8 = peripheral malfunction, and the device-specific codes 16 siren
 * branch draws no current (relay, fuse, wire, siren), 17 amplifier draws no current, 18 tamper loop open, 19 slot
 * sensor implausible, 20 current sensor silent or implausible, 21 speech chain broken (the edge's
 * {@code SelfTestFault} uses the same numbers). Unknown codes are kept as {@code error-<code>}.
 * <p>
 * Returns at once; the outcome is delivered once on a CoAP thread. Thread-safe.
 */
final class LeshanSelfTestCommand implements SelfTestCommand {

    private static final Logger LOG = LoggerFactory.getLogger(LeshanSelfTestCommand.class);

    static final int DEVICE = 3;
    static final int ERROR_CODE = 11;
    static final Map<Long, String> FAULTS = Map.of(1L, "battery", 8L, "peripheral", 16L, "siren-relay", 17L,
            "loudspeaker", 18L, "tamper", 19L, "slot-sensor", 20L, "current-sensor", 21L, "speech");

    private final LeshanServerLifecycle lifecycle;
    private final long timeoutMillis;

    LeshanSelfTestCommand(LeshanServerLifecycle lifecycle, long timeoutMillis) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void runSelfTest(String endpoint, Mode mode, Consumer<SelfTestOutcome> done) {
        Consumer<SelfTestOutcome> once = once(done);
        Optional<LeshanServer> server = lifecycle.server();
        Registration registration = server.isEmpty() || endpoint == null ? null
                : server.get().getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            LOG.warn("Self-test of {} not run: the box is not registered", endpoint);
            once.accept(SelfTestOutcome.failed("not-registered"));
            return;
        }
        LeshanServer leshan = server.get();
        try {
            leshan.send(registration, execute(mode), timeoutMillis,
                    executed -> {
                        if (!executed.isSuccess()) {
                            LOG.warn("Self-test of {} refused: {} {}", endpoint, executed.getCode(),
                                    Objects.toString(executed.getErrorMessage(), ""));
                            once.accept(SelfTestOutcome.failed("refused"));
                            return;
                        }
                        readResult(leshan, registration, endpoint, once);
                    }, error -> {
                        LOG.warn("Self-test of {} failed: {}", endpoint, error.toString());
                        once.accept(SelfTestOutcome.failed("no-answer"));
                    });
        } catch (RuntimeException e) {
            LOG.warn("Self-test of {} not sent: {}", endpoint, e.toString());
            once.accept(SelfTestOutcome.failed("no-answer"));
        }
    }

    static ExecuteRequest execute(Mode mode) {
        if (mode == Mode.AUDIBLE) {
            return new ExecuteRequest(EquipmentLockerObject.ID, 0, EquipmentLockerObject.SELF_TEST,
                    EquipmentLockerObject.SELF_TEST_ARG_MODE + "='" + EquipmentLockerObject.SELF_TEST_AUDIBLE + "'");
        }
        return new ExecuteRequest(EquipmentLockerObject.ID, 0, EquipmentLockerObject.SELF_TEST);
    }

    private void readResult(LeshanServer leshan, Registration registration, String endpoint,
            Consumer<SelfTestOutcome> done) {
        try {
            leshan.send(registration, new ReadRequest(DEVICE, 0, ERROR_CODE), timeoutMillis, read -> {
                if (!read.isSuccess()) {
                    LOG.warn("Self-test result of {} not readable: {}", endpoint, read.getCode());
                    done.accept(SelfTestOutcome.failed("refused"));
                    return;
                }
                done.accept(outcome(read.getContent()));
            }, error -> {
                LOG.warn("Self-test result of {} not read: {}", endpoint, error.toString());
                done.accept(SelfTestOutcome.failed("no-answer"));
            });
        } catch (RuntimeException e) {
            LOG.warn("Self-test result of {} not requested: {}", endpoint, e.toString());
            done.accept(SelfTestOutcome.failed("no-answer"));
        }
    }

    /** The outcome of the Error Code resource: passed when every code is 0 (or there is none). */
    static SelfTestOutcome outcome(LwM2mNode content) {
        List<Object> values = new ArrayList<>();
        if (content instanceof LwM2mMultipleResource multiple) {
            Collection<LwM2mResourceInstance> instances = multiple.getInstances().values();
            instances.forEach(instance -> values.add(instance.getValue()));
        } else if (content instanceof LwM2mSingleResource single) {
            values.add(single.getValue());
        } else if (content instanceof LwM2mResourceInstance instance) {
            values.add(instance.getValue());
        }
        List<String> faults = new ArrayList<>();
        for (Object value : values) {
            long code = value instanceof Number number ? number.longValue() : -1;
            if (code != 0) {
                String fault = FAULTS.getOrDefault(code, "error-" + code);
                if (!faults.contains(fault)) {
                    faults.add(fault);
                }
            }
        }
        return new SelfTestOutcome(faults.isEmpty(), faults);
    }

    private static Consumer<SelfTestOutcome> once(Consumer<SelfTestOutcome> done) {
        AtomicBoolean called = new AtomicBoolean();
        return outcome -> {
            if (called.compareAndSet(false, true)) {
                try {
                    done.accept(outcome);
                } catch (RuntimeException e) {
                    LOG.error("Self-test outcome not handled", e);
                }
            }
        };
    }
}
