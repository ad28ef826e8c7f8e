package cn.callbox.device.power;

/**
 * The box's power supply as its AC-OK signal tells it: on mains, or running on its battery (mains lost, the charger
 * or UPS dead, or the signal wire cut). Reading is thread-safe and cheap (cached from the last pin event).
 */
public interface PowerSupply {

    /** Whether mains power is there now. */
    boolean onMains();

    /** Listeners are called on the thread that saw the change, once per change, and must return quickly. */
    void addListener(MainsListener listener);

    /** Told when mains is lost or comes back. */
    @FunctionalInterface
    interface MainsListener {
        void mainsChanged(boolean onMains);
    }
}
