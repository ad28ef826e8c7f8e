package cn.callbox.protocol.lwm2m;

/** Custom object 33003, the loudspeaker (single instance). */
public final class LoudspeakerObject {
    public static final int ID = 33003;
    public static final int PLAYING = 0;
    /** String, zh-CN text spoken on the next announce. */
    public static final int TEXT = 1;
    /** String, name of a clip shipped with the firmware; when set it is played instead of the text. */
    public static final int CLIP = 2;
    public static final int REPEAT = 3;
    /**
     * Executable; one optional argument {@code 0='priority'}: {@code alarm}, {@code drill} or {@code routine} (the
     * default), see {@link cn.callbox.protocol.SoundPriority}. A box playing a higher-priority announcement answers
     * 4.12 Precondition Failed and keeps playing it.
     */
    public static final int ANNOUNCE = 4;
    /** Executable. */
    public static final int STOP = 5;
    /** Integer percent. */
    public static final int VOLUME = 6;
    public static final int ANNOUNCE_ARG_PRIORITY = 0;

    private LoudspeakerObject() {
    }
}
