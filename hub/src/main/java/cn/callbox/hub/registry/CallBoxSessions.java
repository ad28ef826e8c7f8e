package cn.callbox.hub.registry;

/**
 * Ends what a call box's old key still holds open on the hub's LwM2M server, so that a rotated or retired key stops
 * working at once and not only at the box's next handshake. Implemented by the LwM2M adapter; the registry calls it
 * after its change is committed (a box that reconnects meanwhile already meets the new state).
 */
public interface CallBoxSessions {

    /** For a hub without an LwM2M server (tests of the registry alone). */
    CallBoxSessions NONE = (endpoint, pskIdentity) -> {
    };

    /**
     * Drops the box's registration (observations included; listeners are told it went away, so it shows offline) and
     * every DTLS session and cached session of {@code pskIdentity}, which cannot be resumed then. Waits until that is
     * done, at most a few seconds. Does nothing for a box that is not connected. Never throws: failures are logged.
     *
     * @param pskIdentity the identity whose sessions end (the box's identity before the change)
     */
    void drop(String endpoint, String pskIdentity);
}
