package cn.callbox.device.config;

import cn.callbox.protocol.ItemKind;

/**
 * One item slot of the locker: a switch that is closed while an item sits in it.
 *
 * @param kind what the slot holds
 * @param number 1-based number of the slot among the slots of its kind
 * @param pin BCM GPIO number of the slot switch
 */
public record Slot(ItemKind kind, int number, int pin) {

    /** The configuration key of this slot's pin, e.g. {@code pin.slot.steel-fork.1}. */
    public String key() {
        return Pins.slotKey(kind, number);
    }
}
