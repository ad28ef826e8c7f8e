package cn.callbox.device.health;

import java.util.OptionalInt;

/**
 * The battery and modem of a simulated box ({@code --simulate}): a UPS at {@value #BATTERY_PERCENT} % and a modem at
 * {@value #SIGNAL_DBM} dBm, so that the hub's console shows plausible values. Thread-safe.
 */
public final class SimulatedHealth implements BatteryGauge, SignalMeter {

    public static final int BATTERY_PERCENT = 97;
    public static final int SIGNAL_DBM = -67;

    @Override
    public OptionalInt percent() {
        return OptionalInt.of(BATTERY_PERCENT);
    }

    @Override
    public OptionalInt dbm() {
        return OptionalInt.of(SIGNAL_DBM);
    }

    @Override
    public String toString() {
        return "simulated battery and modem";
    }
}
