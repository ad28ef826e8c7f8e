package cn.callbox.device.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** hardware-docs/pinout.md documents the firmware's default pins and current sensors; this keeps them equal. */
class PinoutDocTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(pin\\.[a-z0-9.-]+)`\\s*\\|\\s*(\\d+)\\s*\\|.*");

    static Map<String, Integer> documentedPins() throws IOException {
        // surefire runs in the module folder; the docs live beside it
        Path pinout = Path.of("..", "hardware-docs", "pinout.md");
        Map<String, Integer> pins = new LinkedHashMap<>();
        for (String line : Files.readAllLines(pinout, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                Integer earlier = pins.put(row.group(1), Integer.parseInt(row.group(2)));
                assertEquals(null, earlier, row.group(1) + " is documented twice");
            }
        }
        return pins;
    }

    @Test
    void pinout_page_equals_the_firmware_defaults() throws IOException {
        Map<String, Integer> documented = documentedPins();
        assertTrue(documented.size() >= 19, "pin table found in pinout.md");
        assertEquals(Pins.DEFAULT.byKey(), documented);
    }

    // | `i2c.sda` | 2 | 3 | ...   and   | `current-sensor.siren` | 0x41 | ...
    private static final Pattern I2C_PIN_ROW = Pattern
            .compile("^\\|\\s*`i2c\\.([a-z]+)`\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|.*");
    private static final Pattern SENSOR_ROW = Pattern
            .compile("^\\|\\s*`current-sensor\\.([a-z]+)`\\s*\\|\\s*0x([0-9a-fA-F]{2})\\s*\\|.*");

    /** The I2C rows of a pinout page: {@code sda}/{@code scl} → BCM and header pin, sensors → address. */
    static Map<String, List<Integer>> documentedI2c(String page) throws IOException {
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "hardware-docs", page), StandardCharsets.UTF_8)) {
            Matcher pin = I2C_PIN_ROW.matcher(line);
            Matcher sensor = SENSOR_ROW.matcher(line);
            if (pin.matches()) {
                rows.put(pin.group(1), List.of(Integer.parseInt(pin.group(2)), Integer.parseInt(pin.group(3))));
            } else if (sensor.matches()) {
                rows.put(sensor.group(1), List.of(Integer.parseInt(sensor.group(2), 16)));
            }
        }
        return rows;
    }

    @Test
    void current_sensor_bus_pins_and_addresses_equal_the_firmware_defaults_in_both_languages() throws IOException {
        CurrentSensors defaults = CurrentSensors.DEFAULT;
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("sda", List.of(defaults.sda(), HardwareDocsTest.HEADER.get(defaults.sda())));
        expected.put("scl", List.of(defaults.scl(), HardwareDocsTest.HEADER.get(defaults.scl())));
        expected.put("siren", List.of(defaults.sirenAddress()));
        expected.put("amplifier", List.of(defaults.amplifierAddress()));

        assertEquals(expected, documentedI2c("pinout.md"));
        assertEquals(expected, documentedI2c("pinout.en.md"));
    }

    @Test
    void no_default_pin_takes_the_i2c_bus_or_the_battery_monitors_address() {
        CurrentSensors defaults = CurrentSensors.DEFAULT;
        assertFalse(Pins.DEFAULT.byKey().containsValue(defaults.sda()), "SDA is free for the current sensors");
        assertFalse(Pins.DEFAULT.byKey().containsValue(defaults.scl()), "SCL is free for the current sensors");
        // 0x40 is the battery monitor's (wiring.md), held by the kernel's ina2xx driver
        assertTrue(defaults.sirenAddress() != 0x40 && defaults.amplifierAddress() != 0x40);
    }

    @Test
    void default_layout_is_what_a_unit_with_three_on_duty_needs() {
        assertEquals(14, Pins.DEFAULT.slots().size());
        assertEquals(3, Pins.DEFAULT_LAYOUT.get(cn.callbox.protocol.ItemKind.WHISTLE));
        assertEquals(2, Pins.DEFAULT_LAYOUT.get(cn.callbox.protocol.ItemKind.SHIELD));
    }
}
