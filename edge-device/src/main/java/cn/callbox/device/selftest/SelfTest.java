package cn.callbox.device.selftest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.tinylog.Logger;

import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.siren.Siren;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;

/**
 * The box's self-test, run when the hub executes 33000/0/3 (daily, or on request): a short siren {@code test}
 * pattern pulse (the siren driver must take it and drive the relay), the loudspeaker's test clip, the tamper loop and
 * the slot switches' plausibility. There is no battery on the mains-powered box, so no battery check. The result
 * stays readable until the next run: {@link #errorCodes()} is what Device 3/0/11 shows.
 * <p>
 * A running alarm is never disturbed: a siren already sounding another pattern counts as a working relay, and a
 * loudspeaker already playing counts as a working loudspeaker. Thread-safe; {@link #run()} returns at once (the pulse
 * and the clip play in the background).
 */
public final class SelfTest {

    /** How long the siren sounds its test pattern. */
    static final Duration PULSE = Duration.ofSeconds(2);

    private final Siren siren;
    private final Loudspeaker loudspeaker;
    private final Messages messages;
    private final Locker locker;
    private List<SelfTestFault> faults = List.of();

    public SelfTest(Siren siren, Loudspeaker loudspeaker, Messages messages, Locker locker) {
        this.siren = Objects.requireNonNull(siren, "siren");
        this.loudspeaker = Objects.requireNonNull(loudspeaker, "loudspeaker");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.locker = Objects.requireNonNull(locker, "locker");
    }

    /** Runs every check and keeps the result; returns the failed checks (empty: passed). */
    public synchronized List<SelfTestFault> run() {
        List<SelfTestFault> found = new ArrayList<>();
        if (!sirenWorks()) {
            found.add(SelfTestFault.SIREN_RELAY);
        }
        if (!loudspeakerWorks()) {
            found.add(SelfTestFault.LOUDSPEAKER);
        }
        if (locker.tampered()) {
            found.add(SelfTestFault.TAMPER);
        }
        for (ItemKind kind : locker.kinds()) {
            int present = locker.present(kind);
            if (present < 0 || present > locker.slotsFitted(kind)) {
                found.add(SelfTestFault.SLOT_SENSOR);
                break;
            }
        }
        faults = List.copyOf(found);
        if (faults.isEmpty()) {
            Logger.info("Self-test passed");
        } else {
            Logger.warn("Self-test failed: {}", faults);
        }
        return faults;
    }

    private boolean sirenWorks() {
        if (siren.isSounding() && siren.pattern() != SirenPattern.TEST) {
            return true; // an alarm is sounding: the relay works, and the alarm must not be cut short
        }
        try {
            siren.start(SirenPattern.TEST, PULSE);
            return siren.isSounding();
        } catch (RuntimeException e) {
            Logger.warn("Self-test: siren failed: {}", e.toString());
            return false;
        }
    }

    private boolean loudspeakerWorks() {
        if (loudspeaker.isPlaying()) {
            return true; // an announcement is playing: do not interrupt it
        }
        Optional<String> clip = messages.clip("test");
        if (clip.isEmpty()) {
            Logger.warn("Self-test: no test clip shipped");
            return false;
        }
        try {
            loudspeaker.announce(clip.get(), 1);
            return true;
        } catch (RuntimeException e) {
            Logger.warn("Self-test: loudspeaker failed: {}", e.toString());
            return false;
        }
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
