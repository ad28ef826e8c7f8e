package cn.callbox.device.siren;

import java.time.Duration;

import cn.callbox.protocol.SirenPattern;

/** The box's siren. Thread-safe; calls return at once, the sounding happens on the siren's own timing thread. */
public interface Siren {

    /**
     * Sounds {@code pattern} for {@code duration}, replacing whatever sounds now. The implementation caps the time
     * the siren sounds without a break at its maximum on-time, however often it is started.
     */
    void start(SirenPattern pattern, Duration duration);

    /** Silences the siren at once. */
    void stop();

    boolean isSounding();

    /** The pattern last started (also while silent); never null. */
    SirenPattern pattern();

    /** Called (on any thread) after sounding or pattern changed. */
    void onChange(Runnable listener);
}
