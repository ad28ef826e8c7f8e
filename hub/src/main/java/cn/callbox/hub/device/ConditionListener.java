package cn.callbox.hub.device;

/**
 * Told when a call box reports a change of its enclosure (tamper switch), its power source (mains or battery) or its
 * battery level, so that the hub can raise it at once. Implementations are Spring beans; every bean of this type is
 * called.
 * <p>
 * Called on a transport thread under the box's presence lock, after the presence has been updated, one call per
 * change: return quickly (hand slow work to a thread of your own) and do not throw (an exception is logged and
 * swallowed).
 */
public interface ConditionListener {

    /** @param before the box's presence before the change; @param after after it */
    void conditionChanged(String endpoint, CallBoxPresence.Presence before, CallBoxPresence.Presence after);
}
