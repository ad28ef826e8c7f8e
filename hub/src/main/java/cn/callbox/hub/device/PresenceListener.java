package cn.callbox.hub.device;

/**
 * Told when a call box goes online or offline (registration, supervision timeout, deregistration), so that readiness
 * and history can follow. Implementations are Spring beans; every bean of this type is called.
 * <p>
 * Called on a transport or scheduler thread after the presence has been updated: return quickly and do not throw
 * (an exception is logged and swallowed).
 */
public interface PresenceListener {

    /** @param presence the box's presence after the change */
    void onlineChanged(String endpoint, CallBoxPresence.Presence presence);
}
