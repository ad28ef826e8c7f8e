package cn.callbox.device.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cn.callbox.protocol.ItemKind;

class DeviceConfigLoaderTest {

    @TempDir
    Path folder;

    /** The keys the hub's demo profile writes, nothing else. */
    private Map<String, String> demoFile() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("endpoint", "cb-houshan-market");
        values.put("hub.uri", "coaps://127.0.0.1:5684");
        values.put("psk.identity", "cb-houshan-market");
        values.put("psk.key", "00112233445566778899aabbccddeeff");
        values.put("location.lat", "30.81");
        values.put("location.lon", "108.38");
        values.put("place", "后山村集市");
        values.put("outbox.dir", "outbox/cb-houshan-market");
        return values;
    }

    private Path write(Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# written by a test\n");
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = folder.resolve("box.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void reads_the_file_the_hub_demo_writes_and_fills_in_defaults() throws Exception {
        DeviceConfig config = DeviceConfigLoader.load(write(demoFile()));

        assertEquals("cb-houshan-market", config.endpoint());
        assertEquals(URI.create("coaps://127.0.0.1:5684"), config.hubUri());
        assertTrue(config.secure());
        assertArrayEquals(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), config.pskKey());
        assertEquals(30.81, config.latitude());
        assertEquals("后山村集市", config.place());
        assertEquals(folder.resolve("outbox/cb-houshan-market").toAbsolutePath(), config.outboxDir(),
                "a relative outbox is relative to the config file's folder");
        assertEquals(Pins.DEFAULT, config.pins());
        assertEquals(DeviceConfig.Timing.DEFAULT, config.timing());
        assertFalse(config.allowInsecure());
    }

    @Test
    void insecure_coap_is_accepted_only_with_the_development_flag() throws Exception {
        Map<String, String> values = demoFile();
        values.put("hub.uri", "coap://127.0.0.1:5683");
        values.remove("psk.identity");
        values.remove("psk.key");
        values.put("dev.allow-insecure", "true");
        DeviceConfig config = DeviceConfigLoader.load(write(values));
        assertFalse(config.secure());
    }

    @Test
    void extra_slots_take_their_pins_from_the_file() throws Exception {
        Map<String, String> values = demoFile();
        values.put("locker.slots", "whistle:3,baton:3,helmet:3,flashlight:1,loudspeaker:1,steel-fork:1,shield:2,"
                + "stab-vest:1");
        values.put("pin.slot.stab-vest.1", "9");
        values.put("siren.max-on-seconds", "120");
        DeviceConfig config = DeviceConfigLoader.load(write(values));
        Slot vest = config.pins().slots().get(config.pins().slots().size() - 1);
        assertEquals(new Slot(ItemKind.STAB_VEST, 1, 9), vest);
        assertEquals(Duration.ofSeconds(120), config.timing().sirenMaxOn());
    }

    @Test
    void the_ac_ok_input_defaults_to_gpio_11_and_can_be_moved_or_left_out() throws Exception {
        assertEquals(11, DeviceConfigLoader.load(write(demoFile())).pins().acOk());
        Map<String, String> values = demoFile();
        values.put("pin.ac-ok", "10");
        assertEquals(10, DeviceConfigLoader.load(write(values)).pins().acOk());
        values.put("pin.ac-ok", "none");
        Pins none = DeviceConfigLoader.load(write(values)).pins();
        assertEquals(Pins.NONE, none.acOk());
        assertFalse(none.byKey().containsKey(Pins.AC_OK));
    }

    @Test
    void an_older_config_with_a_slot_on_gpio_11_still_starts_without_the_ac_ok_input() throws Exception {
        Map<String, String> values = demoFile();
        values.put("locker.slots", "whistle:3,baton:3,helmet:3,flashlight:1,loudspeaker:1,steel-fork:1,shield:2,"
                + "stab-vest:1");
        values.put("pin.slot.stab-vest.1", "11");
        Pins pins = DeviceConfigLoader.load(write(values)).pins();
        assertEquals(Pins.NONE, pins.acOk());
        assertEquals(11, pins.byKey().get("pin.slot.stab-vest.1"));
        // said explicitly, the clash is an error like any other
        values.put("pin.ac-ok", "11");
        assertThrows(ConfigException.class, () -> DeviceConfigLoader.load(write(values)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "<removed>", value = {
            "endpoint        | <removed>                      | missing",
            "endpoint        | box one                        | letters",
            "hub.uri         | <removed>                      | missing",
            "hub.uri         | coaps://[bad                   | not a valid URI",
            "hub.uri         | http://127.0.0.1:5684          | scheme",
            "hub.uri         | coap://127.0.0.1:5683          | dev.allow-insecure",
            "hub.uri         | coaps://127.0.0.1              | coaps://host:port",
            "psk.identity    | <removed>                      | missing",
            "psk.key         | <removed>                      | missing",
            "psk.key         | 00112233445566778899aabbccddeexx | hexadecimal",
            "psk.key         | 0011223344556677               | too short",
            "location.lat    | 91                             | between -90",
            "location.lat    | north                          | number",
            "location.lon    | -181                           | between -180",
            "place           | <removed>                      | missing",
            "dev.allow-insecure | yes                         | true or false",
            "locker.slots    | whistle:3,sword:1              | unknown item kind 'sword'",
            "locker.slots    | whistle:3,whistle:1            | listed twice",
            "locker.slots    | whistle                        | kind:count",
            "locker.slots    | whistle:3,stab-vest:1          | no default pin",
            "pin.siren-relay | 17                             | duplicate pin",
            "pin.tamper      | 40                             | BCM GPIO number",
            "pin.ac-ok       | 17                             | duplicate pin",
            "pin.ac-ok       | mains                          | BCM GPIO number",
            "pin.lamp        | 9                              | unknown pin key",
            "pin.slot.sword.1 | 9                             | no such slot",
            "button.debounce-ms | -1                          | between 0",
            "siren.max-on-seconds | ten                       | whole number",
    })
    void a_broken_key_is_named_in_one_clear_line(String key, String value, String problem) throws IOException {
        Map<String, String> values = demoFile();
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        ConfigException error = assertThrows(ConfigException.class, () -> DeviceConfigLoader.load(write(values)));
        String expectedKey = key.equals("locker.slots") && problem.equals("no default pin") ? "pin.slot.stab-vest.1"
                : key;
        assertEquals(expectedKey, error.key(), error.getMessage());
        assertTrue(error.getMessage().startsWith(expectedKey + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void heartbeat_and_slot_debounce_default_and_are_bounded() throws Exception {
        DeviceConfig defaults = DeviceConfigLoader.load(write(demoFile()));
        assertEquals(Duration.ofSeconds(20), defaults.timing().heartbeat());
        assertEquals(Duration.ofSeconds(300), defaults.timing().lifetime());
        assertEquals(Duration.ofMillis(200), defaults.timing().slotDebounce());

        Map<String, String> values = demoFile();
        values.put("lwm2m.lifetime-seconds", "60");
        values.put("lwm2m.heartbeat-seconds", "31");
        ConfigException error = assertThrows(ConfigException.class, () -> DeviceConfigLoader.load(write(values)));
        assertTrue(error.getMessage().contains("lwm2m.heartbeat-seconds"), error.getMessage());

        values.put("lwm2m.heartbeat-seconds", "30");
        values.put("locker.debounce-ms", "0");
        DeviceConfig tuned = DeviceConfigLoader.load(write(values));
        assertEquals(Duration.ofSeconds(30), tuned.timing().heartbeat());
        assertEquals(Duration.ZERO, tuned.timing().slotDebounce());
    }

    @Test
    void the_healthy_window_of_a_new_firmware_defaults_to_ten_minutes_and_is_bounded() throws Exception {
        assertEquals(Duration.ofMinutes(10), DeviceConfigLoader.load(write(demoFile())).timing().firmwareConfirmAfter());

        Map<String, String> values = demoFile();
        values.put("firmware.confirm-after-seconds", "4");
        ConfigException error = assertThrows(ConfigException.class, () -> DeviceConfigLoader.load(write(values)));
        assertEquals("firmware.confirm-after-seconds", error.key(), error.getMessage());

        values.put("firmware.confirm-after-seconds", "20");
        assertEquals(Duration.ofSeconds(20), DeviceConfigLoader.load(write(values)).timing().firmwareConfirmAfter());
    }

    @Test
    void a_missing_file_is_reported_with_its_path() {
        Path missing = folder.resolve("nope.properties");
        ConfigException error = assertThrows(ConfigException.class, () -> DeviceConfigLoader.load(missing));
        assertTrue(error.getMessage().contains(missing.toString()));
    }

    @Test
    void the_key_never_shows_in_to_string() throws Exception {
        DeviceConfig config = DeviceConfigLoader.load(write(demoFile()));
        assertFalse(config.toString().contains("00112233"));
    }
}
