package cn.callbox.device.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.SoundPriority;

/** Priorities of the loudspeaker: alarm over drill over routine, on virtual time. */
class SimulatedLoudspeakerTest {

    private static final String CALLING = "正在呼叫，请稍候。"; // 9 characters: 2.25 s
    private final ManualScheduler timing = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final SimulatedLoudspeaker loudspeaker = new SimulatedLoudspeaker(timing);

    @Test
    void routine_and_drill_announcements_do_not_cut_into_an_alarm_announcement() {
        assertTrue(loudspeaker.announce(CALLING, 1, SoundPriority.ALARM));

        assertFalse(loudspeaker.announce("喇叭测试，请勿惊慌。", 1, SoundPriority.ROUTINE));
        assertFalse(loudspeaker.announce("拉动测试！", 1), "the two-argument announce is routine");
        assertFalse(loudspeaker.announce("拉动测试！", 1, SoundPriority.DRILL));

        assertEquals(CALLING, loudspeaker.lastText());
        timing.advance(Duration.ofMillis(2_200));
        assertTrue(loudspeaker.isPlaying(), "the alarm announcement plays to its end");
        timing.advance(Duration.ofMillis(100));
        assertFalse(loudspeaker.isPlaying());
        assertTrue(loudspeaker.announce("喇叭测试，请勿惊慌。", 1), "after it, anything may play");
    }

    @Test
    void an_equal_or_higher_priority_replaces_what_plays() {
        loudspeaker.announce("赶集的乡亲们请注意。", 3, SoundPriority.ROUTINE);
        assertTrue(loudspeaker.announce("拉动测试！", 1, SoundPriority.DRILL));
        assertTrue(loudspeaker.announce(CALLING, 1, SoundPriority.ALARM));
        assertTrue(loudspeaker.announce("已收到呼叫。", 1, SoundPriority.ALARM), "the hub's next call speech");
        assertEquals("已收到呼叫。", loudspeaker.lastText());
    }

    @Test
    void a_replaced_announcement_ending_late_does_not_free_the_alarm_announcement() {
        loudspeaker.announce("短", 1, SoundPriority.ALARM);
        assertTrue(loudspeaker.announce("这是一段比较长的报警广播内容。", 1, SoundPriority.ALARM));
        timing.advance(Duration.ofSeconds(1)); // when the first, short one would have ended
        assertFalse(loudspeaker.announce("喇叭测试。", 1, SoundPriority.ROUTINE));
    }

    @Test
    void stop_ends_an_alarm_announcement_and_frees_the_loudspeaker() {
        loudspeaker.announce(CALLING, 1, SoundPriority.ALARM);
        loudspeaker.stop();
        assertFalse(loudspeaker.isPlaying());
        assertTrue(loudspeaker.announce("喇叭测试。", 1, SoundPriority.ROUTINE));
    }
}
