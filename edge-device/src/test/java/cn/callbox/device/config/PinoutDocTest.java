package cn.callbox.device.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** hardware-docs/pinout.md documents the firmware's default pins; this keeps them equal. */
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

    @Test
    void default_layout_is_what_a_unit_with_three_on_duty_needs() {
        assertEquals(14, Pins.DEFAULT.slots().size());
        assertEquals(3, Pins.DEFAULT_LAYOUT.get(cn.callbox.protocol.ItemKind.WHISTLE));
        assertEquals(2, Pins.DEFAULT_LAYOUT.get(cn.callbox.protocol.ItemKind.SHIELD));
    }
}
