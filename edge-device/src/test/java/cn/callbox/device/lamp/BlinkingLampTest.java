package cn.callbox.device.lamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.CallState;

class BlinkingLampTest {

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final CountingOutput output = new CountingOutput();
    private final BlinkingLamp lamp = new BlinkingLamp(output, scheduler);

    @Test
    void sending_blinks_fast_and_received_blinks_slow() {
        lamp.show(CallState.SENDING);
        int before = output.switches;
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(8, output.switches - before, "250 ms half period: 8 switches in 2 s");

        lamp.show(CallState.RECEIVED);
        before = output.switches;
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(2, output.switches - before, "1 s half period: 2 switches in 2 s");
    }

    @Test
    void acknowledged_is_steady_and_idle_is_off() {
        lamp.show(CallState.SENDING);
        lamp.show(CallState.ACKNOWLEDGED);
        scheduler.advance(Duration.ofSeconds(5));
        assertTrue(output.on);
        lamp.show(CallState.IDLE);
        scheduler.advance(Duration.ofSeconds(5));
        assertFalse(output.on);
        assertEquals(CallState.IDLE, lamp.showing());
    }

    private static final class CountingOutput implements BinaryOutput {
        boolean on;
        int switches;

        @Override
        public void set(boolean value) {
            if (value != on) {
                switches++;
            }
            on = value;
        }

        @Override
        public boolean isOn() {
            return on;
        }
    }
}
