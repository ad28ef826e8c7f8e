package cn.callbox.device.hardware;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import cn.callbox.device.io.CurrentSensor;

/**
 * The simulated INA219 of one supply branch: it reads the part's current while the branch is switched on (for the
 * siren, while the relay pin is really high, measurement pulses included) and the part is not broken, else 0 mA. The
 * supply reads as the reference battery's nominal 12.8 V. Thread-safe.
 */
public final class SimulatedCurrentSensor implements CurrentSensor {

    /** The reference battery's nominal voltage. */
    static final int SUPPLY_MILLIVOLTS = 12_800;
    /** What the reference parts draw (hardware-docs/power-budget.md): the siren sounding, the amplifier idle. */
    public static final double SIREN_MILLIAMPS = 1_000;
    public static final double AMPLIFIER_IDLE_MILLIAMPS = 30;

    private final BooleanSupplier switchedOn;
    private final SimulatedFaults faults;
    private final SimulatedFaults.Part part;
    private final double milliamps;

    /**
     * @param switchedOn whether the branch is switched on now (the relay pin's real state; always for the amplifier)
     * @param milliamps what the working part draws when on
     */
    public SimulatedCurrentSensor(BooleanSupplier switchedOn, SimulatedFaults faults, SimulatedFaults.Part part,
            double milliamps) {
        this.switchedOn = Objects.requireNonNull(switchedOn, "switchedOn");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.part = Objects.requireNonNull(part, "part");
        this.milliamps = milliamps;
    }

    @Override
    public Reading read() {
        boolean drawing = switchedOn.getAsBoolean() && !faults.isBroken(part);
        return new Reading(drawing ? milliamps : 0, SUPPLY_MILLIVOLTS);
    }
}
