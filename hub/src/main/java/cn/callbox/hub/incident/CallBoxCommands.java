package cn.callbox.hub.incident;

import java.time.Duration;

import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;

/**
 * What the hub makes a call box do (implemented over LwM2M). Every method returns at once and works asynchronously:
 * a box that is offline or does not answer is logged, never thrown at the caller, so one dead box cannot hold up the
 * dispatch of an alarm to the others.
 */
public interface CallBoxCommands {

    /** Sounds the box's siren with {@code pattern} for {@code duration} (the box caps it at its own maximum). */
    void soundSiren(String endpoint, SirenPattern pattern, Duration duration);

    /** Stops the box's siren. */
    void stopSiren(String endpoint);

    /**
     * Speaks {@code text} (zh-CN) on the box's loudspeaker at {@code priority}: an incident's announcement is
     * {@code alarm}, a drill's {@code drill}, so that no routine announcement cuts into it on the box.
     */
    void announce(String endpoint, String text, SoundPriority priority);

    /** Shows the state of the box's call on its lamp and loudspeaker (object 33004). */
    void showCallStatus(String endpoint, CallState state, String incidentId);
}
