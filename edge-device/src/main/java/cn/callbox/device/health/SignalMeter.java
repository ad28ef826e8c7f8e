package cn.callbox.device.health;

import java.util.OptionalInt;

/**
 * The radio signal strength of the box's cellular modem, where one is fitted; served to the hub as Connectivity
 * Monitoring 4/0/2. Implementations may take up to their timeout (a few seconds) and never throw.
 */
@FunctionalInterface
public interface SignalMeter {

    /** @return the signal strength in dBm (e.g. -71); empty when it cannot be read right now */
    OptionalInt dbm();
}
