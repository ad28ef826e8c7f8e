package cn.callbox.protocol;

/**
 * Who may take a call box's siren or loudspeaker from whom: a real alarm before a drill before anything routine (a
 * siren test, the self-test's clip, an ordinary or scheduled announcement). A sound of lower priority never shortens,
 * replaces or silences one of higher priority that is still sounding; an equal or higher one may. An explicit Stop
 * silences any of them.
 * <p>
 * On the wire: the siren's priority is its pattern ({@code alarm}, {@code drill}, {@code test}); an announcement's is
 * the optional argument {@link cn.callbox.protocol.lwm2m.LoudspeakerObject#ANNOUNCE_ARG_PRIORITY} of Announce,
 * {@code alarm}, {@code drill} or {@code routine} (the default when it is absent).
 */
public enum SoundPriority implements WireName {
    // declared from highest to lowest: outranks compares the order
    ALARM, DRILL, ROUTINE;

    /** The priority a siren pattern sounds with: {@code test} is routine. */
    public static SoundPriority of(SirenPattern pattern) {
        return switch (pattern) {
            case ALARM -> ALARM;
            case DRILL -> DRILL;
            case TEST -> ROUTINE;
        };
    }

    /** True when this priority is strictly higher than {@code other}: then {@code other} may not cut into it. */
    public boolean outranks(SoundPriority other) {
        return ordinal() < other.ordinal();
    }

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
