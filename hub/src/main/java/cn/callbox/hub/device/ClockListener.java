package cn.callbox.hub.device;

/**
 * Told of every measurement of a call box's clock offset, so that the hub can flag a box whose clock went wrong.
 * Implementations are Spring beans; every bean of this type is called.
 * <p>
 * Called on a transport thread under the box's presence lock, after the presence has been updated, once per
 * measurement (every few minutes per box): return quickly and do not throw (an exception is logged and swallowed).
 */
public interface ClockListener {

    /**
     * @param before the offset measured last time; null when this is the box's first measurement since the hub
     *        started
     * @param after the offset measured now; never null
     */
    void clockMeasured(String endpoint, ClockOffset before, ClockOffset after);
}
