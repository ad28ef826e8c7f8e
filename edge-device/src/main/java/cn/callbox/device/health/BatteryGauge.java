package cn.callbox.device.health;

import java.util.OptionalInt;

/**
 * The charge of the box's battery or UPS, where one is fitted; served to the hub as Device 3/0/9 Battery Level.
 * Implementations return quickly (a file read at most) and never throw.
 */
@FunctionalInterface
public interface BatteryGauge {

    /** @return the charge in percent, 0-100; empty when it cannot be read right now */
    OptionalInt percent();

    /**
     * Asks to be told when the charge changes, so it can be pushed to the hub. A plain gauge is only read when asked
     * and tells nothing (this default); {@link BatteryWatch} polls one and tells.
     */
    default void onChange(Runnable listener) {
    }
}
