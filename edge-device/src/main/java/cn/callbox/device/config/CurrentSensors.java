package cn.callbox.device.config;

/**
 * The self-test's two INA219 current sensors on the Pi's I2C bus 1 (SDA GPIO2, SCL GPIO3), one in the siren's supply
 * branch and one in the amplifier's. The battery monitor of the reference build already takes 0x40 (Linux's
 * {@code ina2xx} driver holds it), so the branches use 0x41 (A0 to VS) and 0x44 (A1 to VS). The defaults are
 * documented in {@code hardware-docs/pinout.md}, and {@code PinoutDocTest} keeps that page and {@link #DEFAULT}
 * equal.
 *
 * @param bus the Linux I2C bus ({@code /dev/i2c-N})
 * @param sda the bus's data pin (BCM), fixed by the Pi
 * @param scl the bus's clock pin (BCM), fixed by the Pi
 * @param sirenAddress the siren branch's INA219
 * @param amplifierAddress the amplifier branch's INA219
 * @param shuntOhms the shunt resistor on both boards (the common breakout boards carry 0.1 Ω)
 */
public record CurrentSensors(int bus, int sda, int scl, int sirenAddress, int amplifierAddress, double shuntOhms) {

    public static final CurrentSensors DEFAULT = new CurrentSensors(1, 2, 3, 0x41, 0x44, 0.1);

    public CurrentSensors {
        if (sirenAddress == amplifierAddress) {
            throw new IllegalArgumentException("the two current sensors need different I2C addresses");
        }
        for (int address : new int[] { sirenAddress, amplifierAddress }) {
            // the INA219's address pins select 0x40-0x4F
            if (address < 0x40 || address > 0x4f) {
                throw new IllegalArgumentException("an INA219 answers on 0x40-0x4f, not 0x" + Integer.toHexString(address));
            }
        }
    }
}
