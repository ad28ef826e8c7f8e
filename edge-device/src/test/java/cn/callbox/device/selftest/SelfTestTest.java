package cn.callbox.device.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.callbox.device.announce.Messages;
import cn.callbox.device.announce.SimulatedLoudspeaker;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.siren.RelaySiren;
import cn.callbox.device.siren.Siren;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;

/** The box's self-test on its real siren driver and simulated loudspeaker, with a locker fake. */
class SelfTestTest {

    private static final Instant T0 = Instant.parse("2026-03-01T03:00:00Z");

    private final ManualScheduler timing = new ManualScheduler(T0);
    private final Relay relay = new Relay();
    private final RelaySiren siren = new RelaySiren(relay, timing, Duration.ofSeconds(300));
    private final SimulatedLoudspeaker loudspeaker = new SimulatedLoudspeaker(timing);
    private final FakeLocker locker = new FakeLocker();
    private final SelfTest selfTest = new SelfTest(siren, loudspeaker, Messages.chinese("测试村"), locker);

    /** A locker whose readings the test sets. */
    static final class FakeLocker implements Locker {
        volatile boolean tampered;
        volatile Map<ItemKind, Integer> present = Map.of(ItemKind.HELMET, 3);

        @Override
        public boolean doorOpen() {
            return false;
        }

        @Override
        public Instant doorChangedAt() {
            return T0;
        }

        @Override
        public boolean tampered() {
            return tampered;
        }

        @Override
        public List<ItemKind> kinds() {
            return List.of(ItemKind.HELMET);
        }

        @Override
        public int present(ItemKind kind) {
            return present.getOrDefault(kind, 0);
        }

        @Override
        public int slotsFitted(ItemKind kind) {
            return kind == ItemKind.HELMET ? 3 : 0;
        }

        @Override
        public Instant changedAt(ItemKind kind) {
            return T0;
        }

        @Override
        public void addListener(LockerListener listener) {
        }
    }

    @Test
    void a_sound_box_passes_after_pulsing_the_siren_and_playing_the_test_clip() {
        assertEquals(List.of(0L), selfTest.errorCodes(), "no error before the first run");

        List<SelfTestFault> faults = selfTest.run();

        assertEquals(List.of(), faults);
        assertEquals(List.of(0L), selfTest.errorCodes());
        assertTrue(relay.isOn(), "the relay is driven with the test pattern");
        assertEquals(SirenPattern.TEST, siren.pattern());
        assertTrue(loudspeaker.isPlaying());
        timing.advance(Duration.ofSeconds(3));
        assertFalse(siren.isSounding(), "the pulse is short");
    }

    @Test
    void an_open_tamper_loop_and_an_impossible_slot_count_fail_with_their_codes() {
        locker.tampered = true;
        locker.present = Map.of(ItemKind.HELMET, 4);

        List<SelfTestFault> faults = selfTest.run();

        assertEquals(List.of(SelfTestFault.TAMPER, SelfTestFault.SLOT_SENSOR), faults);
        assertEquals(List.of(18L, 19L), selfTest.errorCodes());

        locker.tampered = false;
        locker.present = Map.of(ItemKind.HELMET, 2);
        assertEquals(List.of(), selfTest.run(), "the next run reports afresh");
        assertEquals(List.of(0L), selfTest.errorCodes());
    }

    @Test
    void a_sounding_alarm_is_not_cut_short_by_the_self_test() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));

        assertEquals(List.of(), selfTest.run());

        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertTrue(siren.isSounding());
    }

    @Test
    void a_siren_that_will_not_sound_fails_the_relay_check() {
        SelfTest broken = new SelfTest(new SilentSiren(), loudspeaker, Messages.chinese("测试村"), locker);

        assertEquals(List.of(SelfTestFault.SIREN_RELAY), broken.run());
        assertEquals(List.of(16L), broken.errorCodes());
    }

    /** A siren whose driver takes no command (a dead relay board). */
    static final class SilentSiren implements Siren {
        @Override
        public boolean start(SirenPattern pattern, Duration duration) {
            return false;
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isSounding() {
            return false;
        }

        @Override
        public SirenPattern pattern() {
            return SirenPattern.TEST;
        }

        @Override
        public void onChange(Runnable listener) {
        }
    }

    /** The relay line. */
    static final class Relay implements BinaryOutput {
        private volatile boolean on;

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
