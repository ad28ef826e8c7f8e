package cn.callbox.device.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import cn.callbox.device.io.CurrentSensor.Reading;

/**
 * The INA219 adapter on Pi4J's mock I2C provider, whose registers are byte queues: what the test writes into a
 * register is what the adapter reads next, and what the adapter writes can be read back.
 */
class Ina219Test {

    private final Context pi4j = Pi4J.newContextBuilder().add(new MockPlatform())
            .add(MockI2CProvider.newInstance()).build();
    private final I2C chip = pi4j.create(I2C.newConfigBuilder(pi4j).id("ina219-test").bus(1).device(0x41)
            .provider(MockI2CProvider.ID));
    private final AtomicInteger opened = new AtomicInteger();
    private final Ina219 sensor = new Ina219(() -> {
        opened.incrementAndGet();
        return chip;
    }, 0.1, "siren-branch (I2C 1, 0x41)");

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    /** What the chip will answer for its next read of {@code register}, high byte first. */
    private void answer(int register, int word) {
        chip.writeRegister(register, new byte[] { (byte) (word >>> 8), (byte) word }, 0, 2);
    }

    @Test
    void reads_the_current_from_the_shunt_voltage_and_the_supply_from_the_bus_register() throws IOException {
        answer(Ina219.SHUNT_VOLTAGE, 9_000); // 90 mV over 0.1 ohm
        answer(Ina219.BUS_VOLTAGE, 3_200 << 3 | 0x2); // 12.8 V, conversion ready

        Reading reading = sensor.read();

        assertEquals(900.0, reading.milliamps(), 1e-9);
        assertEquals(12_800, reading.busMillivolts());
        byte[] config = new byte[2];
        assertEquals(2, chip.readRegister(Ina219.CONFIGURATION, config, 0, 2), "configured on first use");
        assertEquals(0x39DF, (config[0] & 0xff) << 8 | config[1] & 0xff, "32 V, /8, 12 bit, shunt x8, continuous");
    }

    @Test
    void a_chip_that_answers_nothing_is_an_io_error_and_the_bus_stays_open_for_the_next_read() throws IOException {
        IOException silent = assertThrows(IOException.class, sensor::read);
        assertTrue(silent.getMessage().contains("0x41"), silent.getMessage());

        answer(Ina219.SHUNT_VOLTAGE, 0);
        answer(Ina219.BUS_VOLTAGE, 3_200 << 3);
        assertEquals(0.0, sensor.read().milliamps());
        assertEquals(1, opened.get());
    }

    @Test
    void a_bus_that_cannot_be_opened_is_an_io_error_on_each_read_and_is_tried_again() {
        Ina219 absent = new Ina219(() -> {
            opened.incrementAndGet();
            throw new IllegalStateException("/dev/i2c-1: no such file");
        }, 0.1, "amplifier-branch (I2C 1, 0x44)");

        IOException first = assertThrows(IOException.class, absent::read);
        assertTrue(first.getMessage().contains("I2C enabled?"), first.getMessage());
        assertThrows(IOException.class, absent::read);
        assertEquals(2, opened.get());
    }

    @Test
    void decodes_negative_shunt_voltages_and_refuses_an_overflow() throws IOException {
        assertEquals(-100.0, Ina219.decode(0xFFF6, 3_000 << 3, 0.001).milliamps(), 1e-9, "-0.1 mV over 1 mOhm");
        assertEquals(3_200.0, Ina219.decode(32_000, 0, 0.1).milliamps(), 1e-9, "the /8 range's end: 320 mV");
        assertEquals(32_764, Ina219.decode(0, 0xFFF8, 0.1).busMillivolts(), "the register's largest bus voltage");
        assertThrows(IOException.class, () -> Ina219.decode(9_000, 3_200 << 3 | Ina219.OVERFLOW, 0.1));
    }

    @Test
    void a_shunt_of_no_resistance_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Ina219(() -> chip, 0, "x"));
    }
}
