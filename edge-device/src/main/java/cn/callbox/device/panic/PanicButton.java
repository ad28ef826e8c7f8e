package cn.callbox.device.panic;

import java.time.Instant;

/** The panic button villagers press. Reports each accepted (debounced) press once. */
public interface PanicButton {

    /**
     * Adds a listener for presses. Listeners are called on the thread that saw the edge (a GPIO event thread, or the
     * simulator's request thread) and must return quickly: the panic responder only stores the record (two small
     * fsynced writes) and hands everything else to other threads.
     */
    void onPress(PressListener listener);

    /** Whether the button is held down right now. */
    boolean isPressed();

    @FunctionalInterface
    interface PressListener {
        /** @param at when the press edge was seen */
        void pressed(Instant at);
    }
}
