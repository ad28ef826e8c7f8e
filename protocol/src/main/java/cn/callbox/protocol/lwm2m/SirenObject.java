package cn.callbox.protocol.lwm2m;

/** Custom object 33002, the siren relay (single instance). */
public final class SirenObject {
    public static final int ID = 33002;
    public static final int SOUNDING = 0;
    /** String: a {@link cn.callbox.protocol.SirenPattern} wire name. */
    public static final int PATTERN = 1;
    /** Integer seconds. */
    public static final int DURATION = 2;
    /**
     * Executable; arguments {@code 0='pattern'}, {@code 1='seconds'}, both optional. The pattern is also the sound's
     * priority ({@link cn.callbox.protocol.SoundPriority}): a box sounding a higher-priority pattern answers 4.12
     * Precondition Failed and keeps sounding it.
     */
    public static final int START = 3;
    public static final int STOP = 4;
    public static final int START_ARG_PATTERN = 0;
    public static final int START_ARG_DURATION = 1;

    private SirenObject() {
    }
}
