package cn.callbox.device.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional battery and modem keys of a box's configuration. */
class HealthConfigTest {

    @TempDir
    Path folder;

    private Properties minimal() {
        Properties p = new Properties();
        p.setProperty("endpoint", "cb-1");
        p.setProperty("hub.uri", "coaps://127.0.0.1:5684");
        p.setProperty("psk.identity", "cb-1-id");
        p.setProperty("psk.key", "00112233445566778899aabbccddeeff");
        p.setProperty("location.lat", "30.8");
        p.setProperty("location.lon", "108.4");
        p.setProperty("place", "集市");
        return p;
    }

    @Test
    void without_the_keys_the_box_has_no_battery_gauge_and_no_modem() throws Exception {
        DeviceConfig.Health health = DeviceConfigLoader.parse(minimal(), folder).health();
        assertEquals(DeviceConfig.Health.NONE, health);
    }

    @Test
    void battery_files_resolve_against_the_config_folder_and_the_command_is_kept() throws Exception {
        Properties p = minimal();
        p.setProperty("power.battery-millivolts-file", "/sys/class/hwmon/hwmon2/in1_input");
        p.setProperty("modem.signal-command", "mmcli -m any --signal-get --output-keyvalue | grep -m1 rssi");
        DeviceConfig.Health health = DeviceConfigLoader.parse(p, folder).health();
        assertEquals(Path.of("/sys/class/hwmon/hwmon2/in1_input"), health.batteryMillivoltsFile());
        assertNull(health.batteryFile());
        assertEquals("mmcli -m any --signal-get --output-keyvalue | grep -m1 rssi", health.modemSignalCommand());

        Properties relative = minimal();
        relative.setProperty("power.battery-file", "ups/capacity");
        assertEquals(folder.resolve("ups/capacity"), DeviceConfigLoader.parse(relative, folder).health().batteryFile());
    }

    @Test
    void both_battery_sources_at_once_are_refused() {
        Properties p = minimal();
        p.setProperty("power.battery-file", "/sys/class/power_supply/ups/capacity");
        p.setProperty("power.battery-millivolts-file", "/sys/class/hwmon/hwmon2/in1_input");
        ConfigException e = assertThrows(ConfigException.class, () -> DeviceConfigLoader.parse(p, folder));
        assertEquals(DeviceConfigLoader.BATTERY_MILLIVOLTS_FILE, e.key());
    }
}
