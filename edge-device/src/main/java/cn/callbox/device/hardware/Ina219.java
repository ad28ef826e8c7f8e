package cn.callbox.device.hardware;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

import com.pi4j.io.i2c.I2C;

import cn.callbox.device.io.CurrentSensor;

/**
 * A TI INA219 current and voltage monitor on I2C, through Pi4J's I2C API. The current is computed from the shunt
 * voltage register and the fitted shunt's resistance (not from the calibration register, so a chip reset by a brown-out
 * still reads right); the bus voltage comes from its register. The chip is configured on first use: 32 V bus range,
 * shunt gain /8 (±320 mV, ±3.2 A on 0.1 Ω), 12-bit conversions, the shunt averaged over 8 samples (4.26 ms),
 * continuous. A bus that cannot be opened (I2C disabled) or a chip that does not answer is an {@link IOException} on
 * each read, never at start: the box runs without its sensors, and the self-test reports them. Thread-safe.
 */
final class Ina219 implements CurrentSensor {

    static final int CONFIGURATION = 0x00;
    static final int SHUNT_VOLTAGE = 0x01;
    static final int BUS_VOLTAGE = 0x02;

    /** BRNG=1 (32 V), PG=11 (/8), BADC=0011 (12 bit), SADC=1011 (12 bit, 8 samples), MODE=111 (continuous). */
    static final int CONFIG_VALUE = 0x2000 | 0x1800 | 0x3 << 7 | 0xB << 3 | 0x7;

    /** Shunt voltage register LSB: 10 uV. */
    static final double SHUNT_LSB_MILLIVOLTS = 0.01;
    /** Bus voltage register: bits 15-3, LSB 4 mV. */
    static final int BUS_LSB_MILLIVOLTS = 4;
    /** Bus voltage register bit 0: the power or current calculation overflowed (a reading out of range). */
    static final int OVERFLOW = 0x1;

    private final Supplier<I2C> opener;
    private final double shuntOhms;
    private final String name;
    private I2C i2c;

    /**
     * @param opener opens the chip's I2C device; called on the first read, and again on the next read after it failed
     * @param shuntOhms the fitted shunt resistor, e.g. 0.1
     * @param name for messages, e.g. {@code siren branch (I2C 1, 0x41)}
     */
    Ina219(Supplier<I2C> opener, double shuntOhms, String name) {
        if (!(shuntOhms > 0)) {
            throw new IllegalArgumentException("shunt resistance must be positive, not " + shuntOhms);
        }
        this.opener = Objects.requireNonNull(opener, "opener");
        this.shuntOhms = shuntOhms;
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public synchronized Reading read() throws IOException {
        I2C chip = open();
        try {
            int shunt = readWord(chip, SHUNT_VOLTAGE);
            int bus = readWord(chip, BUS_VOLTAGE);
            return decode(shunt, bus, shuntOhms);
        } catch (RuntimeException e) {
            // the bus stays open: a chip that missed one transfer answers the next; one reset by a brown-out comes
            // back with its default configuration, whose range and gain are the ones decode() assumes
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** Turns the two registers into a reading; pure, for tests of the arithmetic. */
    static Reading decode(int shuntRegister, int busRegister, double shuntOhms) throws IOException {
        if ((busRegister & OVERFLOW) != 0) {
            throw new IOException("INA219 overflow: the current is beyond the sensor's range");
        }
        // the shunt register is two's complement, sign-extended by the chip for the /8 range
        double shuntMillivolts = (short) shuntRegister * SHUNT_LSB_MILLIVOLTS;
        int busMillivolts = (busRegister >>> 3) * BUS_LSB_MILLIVOLTS;
        return new Reading(shuntMillivolts / shuntOhms, busMillivolts);
    }

    private I2C open() throws IOException {
        if (i2c == null) {
            try {
                I2C opened = opener.get();
                writeWord(opened, CONFIGURATION, CONFIG_VALUE);
                i2c = opened;
            } catch (RuntimeException | IOException e) {
                throw new IOException(name + " not available (I2C enabled? wired? address?): " + e.getMessage(), e);
            }
        }
        return i2c;
    }

    private int readWord(I2C chip, int register) throws IOException {
        byte[] word = new byte[2];
        int read = chip.readRegister(register, word, 0, 2);
        if (read != 2) {
            throw new IOException(name + ": register " + register + " answered " + read + " bytes instead of 2");
        }
        // the INA219 sends the high byte first
        return (word[0] & 0xff) << 8 | word[1] & 0xff;
    }

    private void writeWord(I2C chip, int register, int value) throws IOException {
        int written = chip.writeRegister(register, new byte[] { (byte) (value >>> 8), (byte) value }, 0, 2);
        if (written < 0) {
            throw new IOException(name + ": writing register " + register + " failed");
        }
    }

    @Override
    public String toString() {
        return "INA219 " + name;
    }
}
