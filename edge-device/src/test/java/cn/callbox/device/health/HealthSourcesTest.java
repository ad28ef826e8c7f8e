package cn.callbox.device.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The battery file and the modem command as the box reads them. */
class HealthSourcesTest {

    @TempDir
    Path folder;

    @Test
    void battery_level_is_the_files_percent_clamped_and_empty_when_unreadable() throws Exception {
        Path file = folder.resolve("capacity");
        FileBatteryGauge gauge = new FileBatteryGauge(file);
        assertEquals(OptionalInt.empty(), gauge.percent(), "no file yet");

        Files.writeString(file, "87\n");
        assertEquals(OptionalInt.of(87), gauge.percent());
        Files.writeString(file, "104");
        assertEquals(OptionalInt.of(100), gauge.percent(), "a gauge that overshoots is full");
        Files.writeString(file, "Unknown");
        assertEquals(OptionalInt.empty(), gauge.percent());
    }

    @Test
    void battery_level_from_the_ina219_voltage_follows_the_lifepo4_curve() throws Exception {
        Path file = folder.resolve("in1_input");
        VoltageBatteryGauge gauge = new VoltageBatteryGauge(file);
        assertEquals(OptionalInt.empty(), gauge.percent(), "no file yet");

        Files.writeString(file, "13600\n");
        assertEquals(OptionalInt.of(100), gauge.percent());
        Files.writeString(file, "13150\n");
        assertEquals(OptionalInt.of(55), gauge.percent(), "half way between 13.1 V (40 %) and 13.2 V (70 %)");
        Files.writeString(file, "12900");
        assertEquals(OptionalInt.of(20), gauge.percent());
        Files.writeString(file, "9500");
        assertEquals(OptionalInt.of(0), gauge.percent());
        Files.writeString(file, "14200");
        assertEquals(OptionalInt.of(100), gauge.percent(), "while charging");
    }

    @Test
    void signal_is_the_first_number_the_command_prints() {
        assertEquals(OptionalInt.of(-71), new CommandSignalMeter("echo -71", Duration.ofSeconds(5)).dbm());
        assertEquals(OptionalInt.of(-65),
                new CommandSignalMeter("echo 'modem.signal.lte.rssi : -65.00'; echo 'snr : 9'",
                        Duration.ofSeconds(5)).dbm());
    }

    @Test
    void a_failing_silent_or_slow_command_gives_no_signal() {
        assertEquals(OptionalInt.empty(), new CommandSignalMeter("echo -71; exit 3", Duration.ofSeconds(5)).dbm());
        assertEquals(OptionalInt.empty(), new CommandSignalMeter("echo no modem", Duration.ofSeconds(5)).dbm());
        long start = System.nanoTime();
        assertEquals(OptionalInt.empty(), new CommandSignalMeter("sleep 10; echo -70", Duration.ofMillis(300)).dbm());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                "killed at the timeout");
    }
}
