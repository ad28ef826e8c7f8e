package cn.callbox.device.system;

import java.util.Optional;

/**
 * One thing the firmware needs to do its job, checked before each watchdog ping. Called on the watchdog's own
 * thread; must return within a second or so and must not throw.
 */
@FunctionalInterface
public interface HealthCheck {

    /** What is wrong, in a few words for the log and {@code systemctl status}; empty when all is well. */
    Optional<String> problem();
}
