package cn.callbox.device.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The relay line shared by the siren (its owner) and the self-test's measurement pulse. */
class PulsedOutputTest {

    private final Line line = new Line();
    private final List<Duration> pauses = new ArrayList<>();
    private final PulsedOutput output = new PulsedOutput(line, pauses::add);

    @Test
    void a_pulse_drives_the_line_for_the_measurement_while_the_owner_still_sees_it_off() throws Exception {
        boolean[] seen = new boolean[2];

        String result = output.pulse(Duration.ofMillis(30), () -> {
            seen[0] = line.on;
            seen[1] = output.isOn();
            return "measured";
        });

        assertEquals("measured", result);
        assertTrue(seen[0], "the line is on during the measurement");
        assertFalse(seen[1], "the owner's view stays off");
        assertFalse(line.on, "off again");
        assertEquals(List.of(Duration.ofMillis(30)), pauses);
    }

    @Test
    void the_owner_switching_on_during_a_pulse_keeps_the_line_on_after_it() throws Exception {
        output.pulse(Duration.ofMillis(30), () -> {
            output.set(true); // an alarm starts the siren in the middle of the measurement
            return null;
        });

        assertTrue(line.on);
        assertTrue(output.isOn());
    }

    @Test
    void the_owner_switching_off_during_a_pulse_does_not_cut_the_measurement_short() throws Exception {
        output.set(true);
        boolean during = output.pulse(Duration.ofMillis(30), () -> {
            output.set(false);
            return line.on;
        });

        assertTrue(during);
        assertFalse(line.on, "the owner's off holds after the pulse");
    }

    @Test
    void a_failed_measurement_still_restores_the_line() {
        assertThrows(IOException.class, () -> output.pulse(Duration.ofMillis(30), () -> {
            throw new IOException("sensor gone");
        }));

        assertFalse(line.on);
    }

    static final class Line implements BinaryOutput {
        volatile boolean on;

        @Override
        public void set(boolean value) {
            on = value;
        }

        @Override
        public boolean isOn() {
            return on;
        }
    }
}
