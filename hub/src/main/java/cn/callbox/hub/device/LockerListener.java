package cn.callbox.hub.device;

import java.util.Map;

import cn.callbox.protocol.ItemKind;

/**
 * Told when a call box reports a change in its equipment locker (door switch or an item count), so that readiness can
 * be judged again. Implementations are Spring beans; every bean of this type is called.
 * <p>
 * Called on a transport thread, after the presence has been updated, one call per change: return quickly and do not
 * throw (an exception is logged and swallowed).
 */
public interface LockerListener {

    /**
     * @param endpoint the box
     * @param doorOpen the door switch; null when the hub has not read it yet
     * @param itemsPresent per item kind, how many are in their slots now; never null, empty when not read yet
     */
    void lockerChanged(String endpoint, Boolean doorOpen, Map<ItemKind, Integer> itemsPresent);
}
