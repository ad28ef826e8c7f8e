package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import cn.callbox.device.time.ManualScheduler;
import cn.callbox.device.time.ManualScheduler.ManualClock;

/** The healthy window of a firmware on trial, on a clock the test moves. */
class HealthyWindowTest {

    private final ManualClock clock = new ManualScheduler(Instant.parse("2026-11-01T08:00:00Z")).manualClock();
    private final HealthyWindow window = new HealthyWindow(Duration.ofMinutes(10), clock);

    @Test
    void a_box_registered_and_heartbeating_for_the_whole_window_is_healthy() {
        window.registered();
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertFalse(window.heartbeat(), "a second short");

        clock.advance(Duration.ofSeconds(1));

        assertTrue(window.heartbeat());
    }

    @Test
    void registering_again_does_not_move_the_start_of_the_window() {
        window.registered();
        clock.advance(Duration.ofMinutes(6));
        window.registered();
        clock.advance(Duration.ofMinutes(4));

        assertTrue(window.heartbeat());
    }

    @Test
    void a_lost_registration_starts_the_window_again_at_the_next_registration() {
        window.registered();
        clock.advance(Duration.ofMinutes(9));
        window.lost();
        clock.advance(Duration.ofMinutes(2));
        assertFalse(window.heartbeat(), "a heartbeat after the loss opens a new window");

        window.registered();
        clock.advance(Duration.ofMinutes(9));
        assertFalse(window.heartbeat());
        clock.advance(Duration.ofMinutes(1));
        assertTrue(window.heartbeat());
    }

    @Test
    void without_a_registration_a_heartbeat_opens_the_window() {
        assertFalse(window.heartbeat());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(window.heartbeat());
    }

    @Test
    void the_window_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> new HealthyWindow(Duration.ZERO, clock));
    }
}
