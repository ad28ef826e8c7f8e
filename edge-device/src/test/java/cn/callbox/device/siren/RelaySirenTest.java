package cn.callbox.device.siren;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.SirenPattern;

class RelaySirenTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final RecordingOutput relay = new RecordingOutput(scheduler.clock());
    private final RelaySiren siren = new RelaySiren(relay, scheduler, Duration.ofSeconds(300));

    @Test
    void alarm_pattern_switches_the_relay_on_and_off_with_its_timing() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(10));
        assertTrue(relay.isOn());
        assertTrue(siren.isSounding());

        scheduler.advance(Duration.ofMillis(1499));
        assertTrue(relay.isOn(), "still in the first 1.5 s blast");
        scheduler.advance(Duration.ofMillis(1));
        assertFalse(relay.isOn(), "gap after the blast");
        scheduler.advance(Duration.ofMillis(500));
        assertTrue(relay.isOn(), "next blast after 0.5 s");
        assertTrue(siren.isSounding());
    }

    @Test
    void drill_and_alarm_sound_differently() {
        assertEquals(Duration.ofMillis(1000), RelaySiren.timing(SirenPattern.DRILL).on());
        siren.start(SirenPattern.DRILL, Duration.ofSeconds(10));
        scheduler.advance(Duration.ofMillis(1000));
        assertFalse(relay.isOn());
        scheduler.advance(Duration.ofMillis(999));
        assertFalse(relay.isOn(), "drill gap is a full second");
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(relay.isOn());
        assertEquals(SirenPattern.DRILL, siren.pattern());
    }

    @Test
    void stops_by_itself_when_the_duration_is_over() {
        AtomicInteger changes = new AtomicInteger();
        siren.onChange(changes::incrementAndGet);
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(5));
        scheduler.advance(Duration.ofMillis(4999));
        assertTrue(siren.isSounding());
        scheduler.advance(Duration.ofMillis(2));
        assertFalse(siren.isSounding());
        assertFalse(relay.isOn());
        assertEquals(2, changes.get(), "one change on start, one at the end");
    }

    @Test
    void a_duration_longer_than_the_maximum_on_time_is_capped() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(3_600));
        scheduler.advance(Duration.ofSeconds(299));
        assertTrue(siren.isSounding());
        scheduler.advance(Duration.ofSeconds(2));
        assertFalse(siren.isSounding());
        assertFalse(relay.isOn());
        List<RecordingOutput.Change> changes = relay.changes();
        assertFalse(changes.get(changes.size() - 1).on());
        assertTrue(changes.get(changes.size() - 1).at().compareTo(T0.plusSeconds(300)) <= 0,
                "relay off no later than the maximum on-time");
    }

    @Test
    void repeated_starts_cannot_keep_it_sounding_past_the_maximum_on_time() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(200));
        scheduler.advance(Duration.ofSeconds(150));
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(200)); // a stuck command, sent again
        scheduler.advance(Duration.ofSeconds(151));
        assertFalse(siren.isSounding(), "off 300 s after it began sounding");

        siren.start(SirenPattern.ALARM, Duration.ofSeconds(10));
        assertTrue(siren.isSounding(), "after a silence it may sound again");
    }

    @Test
    void stop_silences_at_once_and_old_timers_do_nothing() {
        siren.start(SirenPattern.TEST, Duration.ofSeconds(30));
        siren.stop();
        assertFalse(relay.isOn());
        scheduler.advance(Duration.ofSeconds(60));
        assertFalse(relay.isOn());
        assertFalse(siren.isSounding());
    }

    @Test
    void a_siren_test_during_an_alarm_is_refused_and_the_alarm_sounds_on() {
        AtomicInteger changes = new AtomicInteger();
        siren.onChange(changes::incrementAndGet);
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180)); // the villager's press
        scheduler.advance(Duration.ofSeconds(10));

        boolean started = siren.start(SirenPattern.TEST, Duration.ofSeconds(5)); // a remote siren test

        assertFalse(started, "the test is refused");
        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertEquals(1, changes.get(), "a refused start changes nothing");
        scheduler.advance(Duration.ofSeconds(8));
        assertTrue(siren.isSounding(), "the alarm did not go quiet with the end of the test");
        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertAlarmRhythm();
        scheduler.advance(Duration.ofSeconds(159));
        assertTrue(siren.isSounding(), "still within the alarm's 180 s");
        scheduler.advance(Duration.ofSeconds(2));
        assertFalse(siren.isSounding(), "the alarm ends when it was due, not earlier and not later");
    }

    @Test
    void a_drill_cannot_take_over_an_alarm_and_a_test_cannot_take_over_a_drill() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(60));
        assertFalse(siren.start(SirenPattern.DRILL, Duration.ofSeconds(120)));
        assertEquals(SirenPattern.ALARM, siren.pattern());
        scheduler.advance(Duration.ofSeconds(61));
        assertFalse(siren.isSounding(), "the drill did not extend the alarm either");

        assertTrue(siren.start(SirenPattern.DRILL, Duration.ofSeconds(60)));
        assertFalse(siren.start(SirenPattern.TEST, Duration.ofSeconds(5)));
        assertEquals(SirenPattern.DRILL, siren.pattern());
        scheduler.advance(Duration.ofSeconds(30));
        assertTrue(siren.isSounding());
    }

    @Test
    void an_alarm_replaces_a_sounding_test_or_drill_at_once() {
        siren.start(SirenPattern.TEST, Duration.ofSeconds(5));
        assertTrue(siren.start(SirenPattern.ALARM, Duration.ofSeconds(60)));
        assertEquals(SirenPattern.ALARM, siren.pattern());
        scheduler.advance(Duration.ofSeconds(30));
        assertTrue(siren.isSounding(), "the alarm's duration counts, not the test's");
        assertAlarmRhythm();
    }

    @Test
    void an_alarm_started_again_never_ends_earlier_than_the_running_one() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180)); // the box's own response to the press
        scheduler.advance(Duration.ofSeconds(100));

        assertTrue(siren.start(SirenPattern.ALARM, Duration.ofSeconds(30)), "the hub's alarm, shorter than what is left");

        scheduler.advance(Duration.ofSeconds(79));
        assertTrue(siren.isSounding(), "still sounding at 179 s: the second start did not end it at 130 s");
        scheduler.advance(Duration.ofSeconds(2));
        assertFalse(siren.isSounding());
    }

    @Test
    void an_alarm_started_again_extends_it_within_the_maximum_on_time() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(60));
        scheduler.advance(Duration.ofSeconds(50));
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(60)); // a second press
        scheduler.advance(Duration.ofSeconds(30));
        assertAlarmRhythm();
        scheduler.advance(Duration.ofSeconds(27));
        assertTrue(siren.isSounding(), "sounds 60 s from the second press");
        scheduler.advance(Duration.ofSeconds(2));
        assertFalse(siren.isSounding());
    }

    @Test
    void stop_silences_an_alarm_too() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));
        siren.start(SirenPattern.TEST, Duration.ofSeconds(5));
        siren.stop();
        assertFalse(siren.isSounding());
        assertFalse(relay.isOn());
        assertTrue(siren.start(SirenPattern.TEST, Duration.ofSeconds(5)), "after a stop any pattern may sound");
        assertEquals(SirenPattern.TEST, siren.pattern());
    }

    /** Over the next two seconds the relay shows the alarm's 1.5 s on / 0.5 s off rhythm: on at least 1.5 s of 2. */
    private void assertAlarmRhythm() {
        int on = 0;
        for (int i = 0; i < 20; i++) {
            if (relay.isOn()) {
                on++;
            }
            scheduler.advance(Duration.ofMillis(100));
        }
        assertTrue(on >= 14 && on <= 16, "relay on for " + on + " of 20 tenths of a second");
    }
}
