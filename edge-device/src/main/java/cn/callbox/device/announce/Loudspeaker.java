package cn.callbox.device.announce;

import cn.callbox.protocol.SoundPriority;

/**
 * The box's loudspeaker. Thread-safe; {@link #announce} returns at once and plays in the background. A failing audio
 * path is logged and never thrown to the caller: an announcement is a help, the siren and the alarm record are what
 * must not fail.
 */
public interface Loudspeaker {

    /**
     * Says {@code text} {@code repeat} times (at least once), replacing what plays now, unless what plays now has a
     * higher priority ({@link SoundPriority}: an alarm announcement is never cut into by a drill or routine one); then
     * nothing changes, the refusal is logged and this returns false.
     *
     * @return true when the announcement was taken (it plays, or is about to)
     */
    boolean announce(String text, int repeat, SoundPriority priority);

    /** A routine announcement (the self-test's clip, an ordinary one), see the three-argument announce. */
    default boolean announce(String text, int repeat) {
        return announce(text, repeat, SoundPriority.ROUTINE);
    }

    /** Stops what plays, whatever its priority. */
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
