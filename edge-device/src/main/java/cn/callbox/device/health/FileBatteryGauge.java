package cn.callbox.device.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

import org.tinylog.Logger;

/**
 * Reads the charge from a file that holds it in percent, as Linux's power-supply class does for UPS HATs and
 * battery gauges ({@code /sys/class/power_supply/<name>/capacity}, e.g. {@code 87}). The first whole number in the
 * file counts; values outside 0-100 are clamped. Thread-safe.
 */
public final class FileBatteryGauge implements BatteryGauge {

    private final Path file;
    private volatile boolean warned;

    public FileBatteryGauge(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public OptionalInt percent() {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            OptionalInt value = Numbers.firstWholeNumber(text);
            if (value.isPresent()) {
                warned = false;
                return OptionalInt.of(Math.max(0, Math.min(100, value.getAsInt())));
            }
            warnOnce("holds no number");
        } catch (IOException | RuntimeException e) {
            warnOnce("cannot be read: " + e);
        }
        return OptionalInt.empty();
    }

    private void warnOnce(String problem) {
        if (!warned) {
            warned = true;
            Logger.warn("Battery level file {} {}", file, problem);
        }
    }

    @Override
    public String toString() {
        return "battery level from " + file;
    }
}
