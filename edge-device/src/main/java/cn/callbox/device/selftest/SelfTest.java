package cn.callbox.device.selftest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.tinylog.Logger;

import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.device.io.CurrentSensor;
import cn.callbox.device.io.PulsedOutput;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.siren.Siren;
import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;

/**
 * The box's self-test, run when the hub executes 33000/0/3 (daily, or on request). It measures instead of trusting
 * that a command was taken:
 * <ul>
 * <li>siren branch: the current with the relay released (about 0, else the contact is stuck), then the current
 * during a {@link #MEASUREMENT_SETTLE} pulse of the relay, too short to hear; the pulse goes through
 * {@link PulsedOutput#pulse}, below the siren driver, so the siren never counts as sounding (33002/0/0 and the
 * simulator's state stay false);</li>
 * <li>amplifier branch: its idle (quiescent) current;</li>
 * <li>speech chain: {@link SpeechCheck} (espeak-ng renders to a file, not to the speaker);</li>
 * <li>sensor sanity: both current sensors answer with a plausible supply voltage, the tamper loop is closed, every
 * slot count lies within 0..fitted.</li>
 * </ul>
 * {@link Mode#SILENT} (the daily run and the default) makes no sound. {@link Mode#AUDIBLE}, only when asked for,
 * then announces itself on the loudspeaker ({@link Messages#audibleTestAnnouncement()}) and, once the announcement has ended, sounds
 * the siren's {@code test} pattern for {@link #AUDIBLE_SIREN}; it is skipped while an alarm or announcement plays.
 * <p>
 * A running alarm is never disturbed: while the siren sounds, its branch is measured only if the relay happens to be
 * on, never pulsed. Thread-safe; {@link #run} takes the measurement (about a second, most of it espeak-ng) and
 * returns; the audible part plays afterwards on the scheduler. The result stays readable until the next run:
 * {@link #errorCodes()} is what Device 3/0/11 shows.
 */
public final class SelfTest {

    /** Whether the test may be heard. */
    public enum Mode {
        /** Measures only; nothing a villager hears. */
        SILENT,
        /** Measures, then announces itself and sounds the siren's test pattern. */
        AUDIBLE
    }

    /**
     * How long the siren relay is held on before the current is read; the relay is released right after the read
     * (about 1 ms on I2C), so the whole pulse lasts 31-35 ms. 30 ms covers the relay's operate time (at most 10 ms
     * for the usual 12 V relay modules) and the siren driver's inrush settling (about 10 ms), and leaves 10 ms for
     * the INA219 to finish an averaged conversion (8 samples of 532 us = 4.3 ms) on the settled current. It is well
     * below the 100-200 ms an electronic siren's oscillator and horn need to build up a tone, so at most the relay's
     * click is heard inside the enclosure.
     */
    static final Duration MEASUREMENT_SETTLE = Duration.ofMillis(30);

    /** How long the audible test sounds the siren's test pattern. */
    static final Duration AUDIBLE_SIREN = Duration.ofSeconds(2);

    /** How often the audible test looks whether its announcement has ended, and how long it waits at most. */
    static final Duration ANNOUNCEMENT_POLL = Duration.ofMillis(200);
    static final Duration ANNOUNCEMENT_LIMIT = Duration.ofSeconds(30);

    /**
     * What counts as a working part, in the reference build's terms (hardware-docs/power-budget.md).
     *
     * @param sirenOnMinMilliamps least current of the siren branch with the relay on: a 110 dB siren draws about 1 A,
     *        its driver several hundred mA from the first milliseconds
     * @param sirenOffMaxMilliamps most current of the siren branch with the relay released (noise and leakage)
     * @param amplifierIdleMinMilliamps least idle current of the amplifier: a class-D board idles at 10-40 mA
     * @param amplifierIdleMaxMilliamps most idle current while nothing plays: above it the output stage is shorted or
     *        oscillating
     * @param busMinMillivolts lowest plausible supply voltage: below the battery's BMS cut-off the box would not run
     * @param busMaxMillivolts highest plausible supply voltage: above the charger's end voltage
     */
    public record Limits(double sirenOnMinMilliamps, double sirenOffMaxMilliamps, double amplifierIdleMinMilliamps,
            double amplifierIdleMaxMilliamps, int busMinMillivolts, int busMaxMillivolts) {

        /** The reference build: 12.8 V LiFePO4 (BMS cut-off 10 V, charger 14.6 V), siren ≥110 dB, PAM8610. */
        public static final Limits DEFAULT = new Limits(100, 30, 5, 500, 9_000, 16_000);
    }

    /**
     * The parts the test measures and drives.
     *
     * @param sirenRelay the siren's relay line, the same the siren drives
     * @param sirenBranch current sensor in the siren's supply, behind its fuse and before the relay contact
     * @param amplifierBranch current sensor in the amplifier's supply
     * @param timing runs the audible part after the measurement
     */
    public record Parts(Siren siren, PulsedOutput sirenRelay, CurrentSensor sirenBranch, Loudspeaker loudspeaker,
            CurrentSensor amplifierBranch, SpeechCheck speech, Messages messages, Locker locker, Scheduler timing) {

        public Parts {
            Objects.requireNonNull(siren, "siren");
            Objects.requireNonNull(sirenRelay, "sirenRelay");
            Objects.requireNonNull(sirenBranch, "sirenBranch");
            Objects.requireNonNull(loudspeaker, "loudspeaker");
            Objects.requireNonNull(amplifierBranch, "amplifierBranch");
            Objects.requireNonNull(speech, "speech");
            Objects.requireNonNull(messages, "messages");
            Objects.requireNonNull(locker, "locker");
            Objects.requireNonNull(timing, "timing");
        }
    }

    private final Parts parts;
    private final Limits limits;
    private List<SelfTestFault> faults = List.of();

    public SelfTest(Parts parts, Limits limits) {
        this.parts = Objects.requireNonNull(parts, "parts");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The silent self-test. */
    public List<SelfTestFault> run() {
        return run(Mode.SILENT);
    }

    /** Runs every check and keeps the result; returns the failed checks (empty: passed). */
    public synchronized List<SelfTestFault> run(Mode mode) {
        List<SelfTestFault> found = new ArrayList<>();
        checkSirenBranch(found);
        checkAmplifier(found);
        parts.speech().problem().ifPresent(problem -> {
            Logger.warn("Self-test: speech chain: {}", problem);
            found.add(SelfTestFault.SPEECH);
        });
        Locker locker = parts.locker();
        if (locker.tampered()) {
            found.add(SelfTestFault.TAMPER);
        }
        for (ItemKind kind : locker.kinds()) {
            int present = locker.present(kind);
            if (present < 0 || present > locker.slotsFitted(kind)) {
                Logger.warn("Self-test: {} slots report {} items of {} fitted", kind.wireName(), present,
                        locker.slotsFitted(kind));
                found.add(SelfTestFault.SLOT_SENSOR);
                break;
            }
        }
        faults = found.stream().distinct().toList();
        if (faults.isEmpty()) {
            Logger.info("Self-test ({}) passed", mode);
        } else {
            Logger.warn("Self-test ({}) failed: {}", mode, faults);
        }
        if (mode == Mode.AUDIBLE) {
            startAudible();
        }
        return faults;
    }

    private void checkSirenBranch(List<SelfTestFault> found) {
        Siren siren = parts.siren();
        PulsedOutput relay = parts.sirenRelay();
        CurrentSensor sensor = parts.sirenBranch();
        try {
            if (siren.isSounding()) {
                // an alarm (or a test) is sounding: never pulse into it; judge the branch only while the relay is on
                CurrentSensor.Reading reading = sensor.read();
                plausible("siren", reading, found);
                if (relay.isOn() && reading.milliamps() < limits.sirenOnMinMilliamps()) {
                    Logger.warn("Self-test: the sounding siren draws {} mA", reading.milliamps());
                    found.add(SelfTestFault.SIREN_RELAY);
                }
                return;
            }
            CurrentSensor.Reading released = sensor.read();
            plausible("siren", released, found);
            if (released.milliamps() > limits.sirenOffMaxMilliamps() && !relay.isOn()) {
                Logger.warn("Self-test: the siren branch draws {} mA with the relay released (contact stuck?)",
                        released.milliamps());
                found.add(SelfTestFault.SIREN_RELAY);
            }
            CurrentSensor.Reading pulsed = relay.pulse(MEASUREMENT_SETTLE, sensor::read);
            plausible("siren", pulsed, found);
            if (pulsed.milliamps() < limits.sirenOnMinMilliamps()) {
                Logger.warn("Self-test: the siren branch draws {} mA with the relay on (fuse, wire or siren broken?)",
                        pulsed.milliamps());
                found.add(SelfTestFault.SIREN_RELAY);
            }
        } catch (IOException e) {
            Logger.warn("Self-test: siren current sensor: {}", e.getMessage());
            found.add(SelfTestFault.CURRENT_SENSOR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            found.add(SelfTestFault.SIREN_RELAY);
        }
    }

    private void checkAmplifier(List<SelfTestFault> found) {
        try {
            boolean playing = parts.loudspeaker().isPlaying();
            CurrentSensor.Reading idle = parts.amplifierBranch().read();
            plausible("amplifier", idle, found);
            if (idle.milliamps() < limits.amplifierIdleMinMilliamps()) {
                Logger.warn("Self-test: the amplifier draws {} mA (fuse, wire or amplifier broken?)", idle.milliamps());
                found.add(SelfTestFault.LOUDSPEAKER);
            } else if (!playing && idle.milliamps() > limits.amplifierIdleMaxMilliamps()) {
                Logger.warn("Self-test: the idle amplifier draws {} mA (short or oscillation?)", idle.milliamps());
                found.add(SelfTestFault.LOUDSPEAKER);
            }
        } catch (IOException e) {
            Logger.warn("Self-test: amplifier current sensor: {}", e.getMessage());
            found.add(SelfTestFault.CURRENT_SENSOR);
        }
    }

    private void plausible(String branch, CurrentSensor.Reading reading, List<SelfTestFault> found) {
        if (reading.busMillivolts() < limits.busMinMillivolts()
                || reading.busMillivolts() > limits.busMaxMillivolts()) {
            Logger.warn("Self-test: the {} current sensor reads an impossible supply of {} mV", branch,
                    reading.busMillivolts());
            found.add(SelfTestFault.CURRENT_SENSOR);
        }
    }

    /** The audible self-test: the announced siren test, with the test pattern's length of an audible self-test. */
    private void startAudible() {
        announcedSirenTest(AUDIBLE_SIREN);
    }

    /**
     * An audible siren test, as a villager should meet one (the audible self-test, the console's siren test): the box
     * first says that this is a test ({@link Messages#audibleTestAnnouncement()}), and sounds the siren's test pattern
     * for {@code sirenFor} once the announcement has ended. Nothing happens while the siren or the loudspeaker is
     * busy (an alarm, a drill, another announcement), and the siren is left alone if something started sounding
     * meanwhile. Returns at once; the siren sounds later, on the scheduler.
     *
     * @return false when nothing was started: a part is busy, or no announcement text is shipped
     */
    public boolean announcedSirenTest(Duration sirenFor) {
        if (parts.siren().isSounding() || parts.loudspeaker().isPlaying()) {
            Logger.info("Audible siren test skipped: the siren or loudspeaker is busy");
            return false;
        }
        Optional<String> announcement = parts.messages().audibleTestAnnouncement();
        if (announcement.isEmpty()) {
            Logger.warn("Audible siren test skipped: no announcement text shipped");
            return false;
        }
        if (!parts.loudspeaker().announce(announcement.get(), 1)) {
            Logger.info("Audible siren test skipped: the loudspeaker took no announcement");
            return false;
        }
        Logger.info("Audible siren test: announcing, then the siren's test pattern for {} s", sirenFor.toSeconds());
        Instant giveUp = parts.timing().clock().instant().plus(ANNOUNCEMENT_LIMIT);
        parts.timing().schedule(ANNOUNCEMENT_POLL, () -> sirenAfterAnnouncement(giveUp, sirenFor));
        return true;
    }

    private void sirenAfterAnnouncement(Instant giveUp, Duration sirenFor) {
        if (parts.loudspeaker().isPlaying() && parts.timing().clock().instant().isBefore(giveUp)) {
            parts.timing().schedule(ANNOUNCEMENT_POLL, () -> sirenAfterAnnouncement(giveUp, sirenFor));
            return;
        }
        if (parts.siren().isSounding()) {
            Logger.info("Audible siren test: siren left alone, it is already sounding");
            return;
        }
        parts.siren().start(SirenPattern.TEST, sirenFor);
    }

    /** The failed checks of the last run; empty before the first run and after a passed one. */
    public synchronized List<SelfTestFault> faults() {
        return faults;
    }

    /** Device 3/0/11 Error Code: one code per failed check, or the single 0 (no error). */
    public synchronized List<Long> errorCodes() {
        if (faults.isEmpty()) {
            return List.of(0L);
        }
        return faults.stream().map(fault -> (long) fault.code()).toList();
    }
}
