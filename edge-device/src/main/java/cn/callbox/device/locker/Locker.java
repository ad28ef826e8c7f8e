package cn.callbox.device.locker;

import java.time.Instant;
import java.util.List;

import cn.callbox.protocol.ItemKind;

/**
 * The equipment locker: door switch, tamper loop and one switch per item slot. Reading is thread-safe and cheap
 * (cached from the last pin events).
 */
public interface Locker {

    boolean doorOpen();

    /** When the door last opened or closed; the start time of the box before the first change. */
    Instant doorChangedAt();

    boolean tampered();

    /** Item kinds this locker has slots for, in layout order. */
    List<ItemKind> kinds();

    /** Items of {@code kind} in their slots now (closed slot switches); 0 for a kind without slots. */
    int present(ItemKind kind);

    int slotsFitted(ItemKind kind);

    /** When an item of {@code kind} last left or returned; the start time of the box before that. */
    Instant changedAt(ItemKind kind);

    /** Listeners are called on the thread that saw the pin change and must return quickly. */
    void addListener(LockerListener listener);

    /** What changed in the locker. All methods default to doing nothing. */
    interface LockerListener {
        default void doorChanged(boolean open) {
        }

        default void tamperChanged(boolean tampered) {
        }

        default void itemsChanged(ItemKind kind, int present) {
        }
    }
}
