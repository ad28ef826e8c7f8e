package cn.callbox.hub.device;

/**
 * Told when a call box goes online or offline (registration, supervision timeout, deregistration), so that readiness
 * and history can follow. Implementations are Spring beans; every bean of this type is called.
 * <p>
 * Called on a transport or scheduler thread after the presence has been updated: return quickly and do not throw
 * (an exception is logged and swallowed).
 */
public interface PresenceListener {

    /**
     * The box went online or offline. Offline shows at once (console, status topic); a short silence (a 4G dropout)
     * is no finding for the box's unit yet: see {@link #offlineLasting}.
     *
     * @param presence the box's presence after the change
     */
    void onlineChanged(String endpoint, CallBoxPresence.Presence presence);

    /**
     * The offline box has now been silent longer than the supervision grace ({@code callbox.supervision.offline-grace}):
     * what its unit must be told (a rectification task). Told once per silence, after
     * {@link #onlineChanged} told it offline; {@link #onlineChanged} tells when it is back.
     *
     * @param presence the box's presence (offline)
     */
    default void offlineLasting(String endpoint, CallBoxPresence.Presence presence) {
    }
}
