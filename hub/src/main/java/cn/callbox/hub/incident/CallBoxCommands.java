package cn.callbox.hub.incident;

import java.time.Duration;

import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;

/**
 * What the hub makes a call box do (implemented over LwM2M). Every method returns at once and works asynchronously:
 * a box that is offline or does not answer is logged, never thrown at the caller, so one dead box cannot hold up the
 * dispatch of an alarm to the others.
 * <p>
 * A command for a box that is not registered (right after a hub restart, or a 4G dropout) waits for the box to register
 * again, for a bounded time. The incident-aware variants tie a waiting siren or announcement to its incident:
 * {@link #incidentEnded} drops them, so a siren for a closed incident never sounds. The variants without an incident
 * wait only for their bounded time.
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

    /** {@link #soundSiren(String, SirenPattern, Duration)} for {@code incidentId}; waits no longer than it lasts. */
    default void soundSiren(String incidentId, String endpoint, SirenPattern pattern, Duration duration) {
        soundSiren(endpoint, pattern, duration);
    }

    /** {@link #announce(String, String, SoundPriority)} for {@code incidentId}. */
    default void announce(String incidentId, String endpoint, String text, SoundPriority priority) {
        announce(endpoint, text, priority);
    }

    /** {@link #stopSiren(String)} for {@code incidentId}: also drops that incident's siren still waiting for the box. */
    default void stopSiren(String incidentId, String endpoint) {
        stopSiren(endpoint);
    }

    /**
     * The incident ended: its sirens and announcements still waiting for a box are dropped. A waiting call status is
     * kept (the box should still learn that its call is over).
     */
    default void incidentEnded(String incidentId) {
    }
}
