package cn.callbox.device.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

import org.tinylog.Logger;

/**
 * The charge of the reference box's 12.8 V LiFePO4 battery (4 cells in series), estimated from its voltage as the
 * INA219 monitor on I2C measures it: Linux's {@code ina2xx} hwmon driver gives the bus voltage in millivolts in
 * {@code /sys/class/hwmon/hwmon<N>/in1_input} ({@code hardware-docs/pinout.md}, {@code parts.md}).
 * <p>
 * LiFePO4 has a flat discharge curve, so this is a rough figure (within 10-20 % in the middle of the range, and it
 * reads low while the siren and 4G modem draw current); it is good for "full / half / nearly empty". The curve is the
 * usual resting-voltage table of 4S LiFePO4 packs, interpolated linearly. Thread-safe.
 */
public final class VoltageBatteryGauge implements BatteryGauge {

    /** Pack voltage in millivolts → charge in percent, rising. */
    static final int[][] LIFEPO4_4S = { { 10_000, 0 }, { 12_000, 9 }, { 12_500, 14 }, { 12_800, 17 },
        { 12_900, 20 }, { 13_000, 30 }, { 13_100, 40 }, { 13_200, 70 }, { 13_300, 90 }, { 13_400, 99 },
        { 13_600, 100 } };

    private final Path file;
    private volatile boolean warned;

    /** @param file holds the battery voltage in millivolts (e.g. {@code 13180}) */
    public VoltageBatteryGauge(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public OptionalInt percent() {
        try {
            OptionalInt millivolts = Numbers.firstWholeNumber(Files.readString(file, StandardCharsets.US_ASCII));
            if (millivolts.isPresent()) {
                warned = false;
                return OptionalInt.of(percentOf(millivolts.getAsInt()));
            }
            warnOnce("holds no number");
        } catch (IOException | RuntimeException e) {
            warnOnce("cannot be read: " + e);
        }
        return OptionalInt.empty();
    }

    /** The charge of a 4S LiFePO4 pack at {@code millivolts}, 0-100. */
    static int percentOf(int millivolts) {
        if (millivolts <= LIFEPO4_4S[0][0]) {
            return 0;
        }
        for (int i = 1; i < LIFEPO4_4S.length; i++) {
            int[] low = LIFEPO4_4S[i - 1];
            int[] high = LIFEPO4_4S[i];
            if (millivolts <= high[0]) {
                return low[1] + Math.round((float) (millivolts - low[0]) * (high[1] - low[1]) / (high[0] - low[0]));
            }
        }
        return 100;
    }

    private void warnOnce(String problem) {
        if (!warned) {
            warned = true;
            Logger.warn("Battery voltage file {} {}", file, problem);
        }
    }

    @Override
    public String toString() {
        return "battery level from the voltage in " + file;
    }
}
