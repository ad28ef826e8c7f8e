package cn.callbox.device.siren;

import java.time.Duration;

import cn.callbox.protocol.SirenPattern;

/** The box's siren. Thread-safe; calls return at once, the sounding happens on the siren's own timing thread. */
public interface Siren {

    /**
     * Sounds {@code pattern} for {@code duration}, unless a pattern of higher priority is sounding (alarm over drill
     * over test, {@link cn.callbox.protocol.SoundPriority}): then nothing changes, the refusal is logged and this
     * returns false. A higher pattern replaces a lower one. The same pattern again keeps sounding until the later of
     * its current end and {@code duration} from now: a repeated alarm never ends an alarm earlier. The implementation
     * caps the time the siren sounds without a break at its maximum on-time, however often it is started (a start
     * past that cap is refused too).
     *
     * @return true when the siren now sounds {@code pattern}; false when the start was refused
     */
    boolean start(SirenPattern pattern, Duration duration);

    /** Silences the siren at once, whatever pattern sounds. */
    void stop();

    boolean isSounding();

    /** The pattern last started (also while silent); never null. */
    SirenPattern pattern();

    /** Called (on any thread) after sounding or pattern changed. */
    void onChange(Runnable listener);
}
