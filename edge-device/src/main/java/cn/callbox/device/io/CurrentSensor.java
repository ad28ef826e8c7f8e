package cn.callbox.device.io;

import java.io.IOException;

/**
 * A current sensor in one supply branch of the box (the siren's, the amplifier's): a shunt on the high side, so the
 * branch reads about 0 mA when it is switched off or its fuse or wire is broken. Used by the self-test to measure
 * that a part really draws current, instead of trusting that a command was taken. Implementations are thread-safe.
 */
public interface CurrentSensor {

    /**
     * Reads the branch now. Takes about a millisecond on the I2C bus; call it off the alarm path.
     *
     * @throws IOException when the sensor does not answer or reports a value outside its range (overflow)
     */
    Reading read() throws IOException;

    /**
     * One reading.
     *
     * @param milliamps current through the shunt, mA (negative only through noise or a reversed shunt)
     * @param busMillivolts supply voltage on the load side of the shunt, mV
     */
    record Reading(double milliamps, int busMillivolts) {
    }
}
