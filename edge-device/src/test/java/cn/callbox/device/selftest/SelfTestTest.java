package cn.callbox.device.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import cn.callbox.device.announce.Messages;
import cn.callbox.device.announce.SimulatedLoudspeaker;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.io.CurrentSensor;
import cn.callbox.device.io.PulsedOutput;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.siren.RelaySiren;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;

/**
 * The box's self-test on its real siren driver, pulsed relay line and simulated loudspeaker, with fake current sensors
 * that read the relay line as the INA219 in the siren branch would, a fake speech chain and a locker fake.
 */
class SelfTestTest {

    private static final Instant T0 = Instant.parse("2026-03-01T03:00:00Z");
    private static final Messages MESSAGES = Messages.chinese("测试村");

    private final ManualScheduler timing = new ManualScheduler(T0);
    private final Relay relay = new Relay();
    private final List<Duration> pauses = new ArrayList<>();
    private final PulsedOutput relayLine = new PulsedOutput(relay, pauses::add);
    private final RelaySiren siren = new RelaySiren(relayLine, timing, Duration.ofSeconds(300));
    private final SimulatedLoudspeaker loudspeaker = new SimulatedLoudspeaker(timing);
    private final FakeLocker locker = new FakeLocker();
    /** A sound siren: 900 mA while the relay is really on, a few tenths of a mA of noise otherwise. */
    private final FakeSensor sirenBranch = new FakeSensor(() -> relay.isOn() ? 900 : 0.3);
    private final FakeSensor amplifierBranch = new FakeSensor(() -> 28);
    private final List<String> speechProblems = new ArrayList<>();
    private final SpeechCheck speech = () -> speechProblems.stream().findFirst();
    private final SelfTest selfTest = new SelfTest(new SelfTest.Parts(siren, relayLine, sirenBranch, loudspeaker,
            amplifierBranch, speech, MESSAGES, locker, timing), SelfTest.Limits.DEFAULT);
    private final List<Boolean> sirenReports = new ArrayList<>();

    {
        siren.onChange(() -> sirenReports.add(siren.isSounding()));
    }

    /** A current sensor whose current the test sets; it remembers whether the relay was on at each read. */
    static final class FakeSensor implements CurrentSensor {
        volatile DoubleSupplier milliamps;
        volatile int busMillivolts = 13_100;
        volatile IOException failure;
        final List<Double> reads = new ArrayList<>();

        FakeSensor(DoubleSupplier milliamps) {
            this.milliamps = milliamps;
        }

        @Override
        public Reading read() throws IOException {
            if (failure != null) {
                throw failure;
            }
            double now = milliamps.getAsDouble();
            reads.add(now);
            return new Reading(now, busMillivolts);
        }
    }

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
    void a_sound_box_passes_silently_measuring_the_siren_in_a_pulse_too_short_to_hear() {
        assertEquals(List.of(0L), selfTest.errorCodes(), "no error before the first run");

        List<SelfTestFault> faults = selfTest.run();

        assertEquals(List.of(), faults);
        assertEquals(List.of(0L), selfTest.errorCodes());
        assertEquals(List.of(0.3, 900.0), sirenBranch.reads, "read with the relay released, then during the pulse");
        assertEquals(List.of(SelfTest.MEASUREMENT_SETTLE), pauses, "one pulse of 30 ms");
        assertEquals(List.of(true, false), relay.history, "the relay was on for the pulse only");
        assertFalse(siren.isSounding(), "the siren never counts as sounding");
        assertEquals(List.of(), sirenReports, "nothing reported to 33002/0 or the simulator");
        assertEquals(SirenPattern.ALARM, siren.pattern(), "no test pattern started");
        assertFalse(loudspeaker.isPlaying(), "nothing said");
        assertNull(loudspeaker.lastText());
        timing.advance(Duration.ofMinutes(1));
        assertFalse(siren.isSounding());
        assertFalse(loudspeaker.isPlaying(), "no sound later either");
    }

    @Test
    void a_siren_branch_that_draws_no_current_fails_the_siren_check() {
        sirenBranch.milliamps = () -> 0; // blown fuse F3 or a cut wire

        assertEquals(List.of(SelfTestFault.SIREN_RELAY), selfTest.run());
        assertEquals(List.of(16L), selfTest.errorCodes());
        assertFalse(relay.isOn(), "the relay is released after the pulse");
    }

    @Test
    void a_siren_branch_that_draws_current_with_the_relay_released_has_a_stuck_contact() {
        sirenBranch.milliamps = () -> 900;

        assertEquals(List.of(SelfTestFault.SIREN_RELAY), selfTest.run());
    }

    @Test
    void an_amplifier_without_idle_current_or_with_far_too_much_fails_the_loudspeaker_check() {
        amplifierBranch.milliamps = () -> 0;
        assertEquals(List.of(SelfTestFault.LOUDSPEAKER), selfTest.run());
        assertEquals(List.of(17L), selfTest.errorCodes());

        amplifierBranch.milliamps = () -> 1_800;
        assertEquals(List.of(SelfTestFault.LOUDSPEAKER), selfTest.run(), "a short in the idle amplifier");

        amplifierBranch.milliamps = () -> 28;
        assertEquals(List.of(), selfTest.run(), "the next run reports afresh");
    }

    @Test
    void a_sensor_that_does_not_answer_or_reads_an_impossible_supply_fails_the_sensor_check() {
        sirenBranch.failure = new IOException("no ACK from 0x41");
        assertEquals(List.of(SelfTestFault.CURRENT_SENSOR), selfTest.run());
        assertEquals(List.of(), relay.history, "no pulse without a sensor to read it");

        sirenBranch.failure = null;
        amplifierBranch.busMillivolts = 0;
        assertEquals(List.of(SelfTestFault.CURRENT_SENSOR), selfTest.run());
        assertEquals(List.of(20L), selfTest.errorCodes());
    }

    @Test
    void a_broken_speech_chain_fails_the_speech_check() {
        speechProblems.add("espeak-ng exited with status 1");

        assertEquals(List.of(SelfTestFault.SPEECH), selfTest.run());
        assertEquals(List.of(21L), selfTest.errorCodes());
    }

    @Test
    void an_open_tamper_loop_and_an_impossible_slot_count_fail_with_their_codes() {
        locker.tampered = true;
        locker.present = Map.of(ItemKind.HELMET, 4);

        List<SelfTestFault> faults = selfTest.run();

        assertEquals(List.of(SelfTestFault.TAMPER, SelfTestFault.SLOT_SENSOR), faults);
        assertEquals(List.of(18L, 19L), selfTest.errorCodes());

        locker.tampered = false;
        locker.present = Map.of(ItemKind.HELMET, -1);
        assertEquals(List.of(SelfTestFault.SLOT_SENSOR), selfTest.run(), "a negative count is impossible too");
        locker.present = Map.of(ItemKind.HELMET, 2);
        assertEquals(List.of(), selfTest.run(), "the next run reports afresh");
        assertEquals(List.of(0L), selfTest.errorCodes());
    }

    @Test
    void a_sounding_alarm_is_measured_but_never_pulsed_or_cut_short() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));
        relay.history.clear();

        assertEquals(List.of(), selfTest.run());

        assertEquals(List.of(), relay.history, "the alarm's relay was left alone");
        assertEquals(List.of(), pauses);
        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertTrue(siren.isSounding());
        assertTrue(relay.isOn());

        sirenBranch.milliamps = () -> 0;
        assertEquals(List.of(SelfTestFault.SIREN_RELAY), selfTest.run(), "a sounding siren that draws nothing");
    }

    @Test
    void an_audible_test_announces_itself_first_and_sounds_the_siren_after_the_announcement() {
        assertEquals(List.of(), selfTest.run(SelfTest.Mode.AUDIBLE));

        assertTrue(loudspeaker.isPlaying());
        assertEquals(MESSAGES.audibleTestAnnouncement().orElseThrow(), loudspeaker.lastText());
        assertTrue(loudspeaker.lastText().startsWith("这是测试"));
        assertFalse(siren.isSounding(), "the siren waits for the announcement");

        timing.advance(SimulatedLoudspeaker.estimate(loudspeaker.lastText(), 1).plus(SelfTest.ANNOUNCEMENT_POLL));
        assertFalse(loudspeaker.isPlaying());
        assertTrue(siren.isSounding());
        assertEquals(SirenPattern.TEST, siren.pattern());
        timing.advance(SelfTest.AUDIBLE_SIREN);
        assertFalse(siren.isSounding(), "two seconds of the test pattern");
    }

    @Test
    void the_consoles_siren_test_is_announced_first_and_sounds_as_long_as_asked() {
        assertTrue(selfTest.announcedSirenTest(Duration.ofSeconds(5)));

        assertTrue(loudspeaker.lastText().startsWith("这是测试"));
        assertFalse(siren.isSounding(), "the siren waits for the announcement");
        timing.advance(SimulatedLoudspeaker.estimate(loudspeaker.lastText(), 1).plus(SelfTest.ANNOUNCEMENT_POLL));
        assertTrue(siren.isSounding());
        assertEquals(SirenPattern.TEST, siren.pattern());
        timing.advance(Duration.ofSeconds(5));
        assertFalse(siren.isSounding());

        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));
        assertFalse(selfTest.announcedSirenTest(Duration.ofSeconds(5)), "never over an alarm");
        assertEquals(SirenPattern.ALARM, siren.pattern());
    }

    @Test
    void an_audible_test_stays_silent_while_an_alarm_sounds() {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));

        selfTest.run(SelfTest.Mode.AUDIBLE);
        timing.advance(Duration.ofSeconds(40));

        assertNull(loudspeaker.lastText(), "no announcement over an alarm");
        assertEquals(SirenPattern.ALARM, siren.pattern());
    }

    @Test
    void an_alarm_during_the_announcement_is_not_replaced_by_the_test_pattern() {
        selfTest.run(SelfTest.Mode.AUDIBLE);
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));

        timing.advance(Duration.ofSeconds(40));

        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertTrue(siren.isSounding());
    }

    /** The relay line. */
    static final class Relay implements BinaryOutput {
        private volatile boolean on;
        /** Every change of the line. */
        final List<Boolean> history = new ArrayList<>();

        @Override
        public synchronized void set(boolean value) {
            if (value != on) {
                history.add(value);
            }
            on = value;
        }

        @Override
        public boolean isOn() {
            return on;
        }
    }
}
