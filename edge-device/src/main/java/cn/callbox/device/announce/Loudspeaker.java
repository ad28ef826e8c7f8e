package cn.callbox.device.announce;

/**
 * The box's loudspeaker. Thread-safe; {@link #announce} returns at once and plays in the background. A failing audio
 * path is logged and never thrown to the caller: an announcement is a help, the siren and the alarm record are what
 * must not fail.
 */
public interface Loudspeaker {

    /** Says {@code text} {@code repeat} times (at least once), replacing what plays now. */
    void announce(String text, int repeat);

    void stop();

    boolean isPlaying();

    /** The text of the last announcement, or null before the first. */
    String lastText();

    /** @param percent 0-100 */
    void setVolume(int percent);

    int volume();

    /** Called (on any thread) when playing starts or ends. */
    void onChange(Runnable listener);
}
