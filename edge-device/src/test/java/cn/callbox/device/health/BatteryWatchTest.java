package cn.callbox.device.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import cn.callbox.device.time.ManualScheduler;

/** The battery is read every period and a changed charge is told, so the box can push it to the hub. */
class BatteryWatchTest {

    private final ManualScheduler timing = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final AtomicInteger changes = new AtomicInteger();
    private volatile OptionalInt level = OptionalInt.of(80);

    @Test
    void a_changed_charge_is_told_once_per_change_and_a_steady_one_never() {
        BatteryWatch watch = BatteryWatch.start(() -> level, timing, Duration.ofMinutes(1));
        watch.onChange(changes::incrementAndGet);

        timing.advance(Duration.ofMinutes(3));
        assertEquals(0, changes.get(), "80 % all along");

        level = OptionalInt.of(79);
        timing.advance(Duration.ofSeconds(59));
        assertEquals(0, changes.get(), "not read before the minute is up");
        timing.advance(Duration.ofSeconds(1));
        assertEquals(1, changes.get());
        assertEquals(OptionalInt.of(79), watch.percent());

        level = OptionalInt.empty();
        timing.advance(Duration.ofMinutes(1));
        assertEquals(2, changes.get(), "a gauge that stops answering is a change too");
    }

    @Test
    void a_failing_gauge_or_listener_does_not_stop_the_polls() {
        AtomicInteger reads = new AtomicInteger();
        BatteryWatch watch = BatteryWatch.start(() -> {
            if (reads.incrementAndGet() == 2) {
                throw new IllegalStateException("i2c bus error");
            }
            return level;
        }, timing, Duration.ofMinutes(1));
        watch.onChange(() -> {
            throw new IllegalStateException("listener broke");
        });
        watch.onChange(changes::incrementAndGet);

        timing.advance(Duration.ofMinutes(1));
        timing.advance(Duration.ofMinutes(1));
        assertEquals(3, reads.get());
        assertEquals(2, changes.get(), "80 -> nothing (failed read) -> 80 again");

        watch.stop();
        timing.advance(Duration.ofMinutes(5));
        assertEquals(3, reads.get(), "no reads after stop");
    }
}
