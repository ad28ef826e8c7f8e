package cn.callbox.device.firmware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a firmware on trial has been registered with its hub without a break. A new firmware is confirmed only
 * once it has been registered and heartbeating for the whole window: one that registers and then crashes, restarts
 * or loses its hub before that is not (the wrapper rolls it back). The window opens at a registration (or, when the
 * box was registered already, at a heartbeat) and closes when the registration is lost; it then opens afresh at the
 * next registration, so the box must stay healthy for the whole window in one stretch.
 *
 * <p>Times come from the injected clock. Not thread-safe: {@link FirmwareUpdater} calls it under its lock.
 */
final class HealthyWindow {

    private final Duration length;
    private final Clock clock;
    private Instant healthySince; // null while not registered

    /** @param length how long the box must stay registered and heartbeating; positive */
    HealthyWindow(Duration length, Clock clock) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("the healthy window must be positive, got " + length);
        }
        this.length = length;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Duration length() {
        return length;
    }

    /** The box registered with its hub: the window opens, unless it is open already. */
    void registered() {
        if (healthySince == null) {
            healthySince = clock.instant();
        }
    }

    /**
     * A heartbeat (registration update) got through.
     *
     * @return whether the box has now been healthy for the whole window
     */
    boolean heartbeat() {
        Instant now = clock.instant();
        if (healthySince == null) {
            // registered before anyone told us (the update proves the registration is alive): count from now
            healthySince = now;
            return false;
        }
        return !now.isBefore(healthySince.plus(length));
    }

    /** The registration was lost (an update or registration failed or timed out): the window closes. */
    void lost() {
        healthySince = null;
    }

    /** Whether the window is open (the box is registered as far as it knows). */
    boolean open() {
        return healthySince != null;
    }
}
