package cn.callbox.device.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.config.DeviceConfigKeys;

/**
 * The pin map of a box (BCM GPIO numbers). The defaults are documented in {@code hardware-docs/pinout.md}, and a test
 * keeps that page and {@link #DEFAULT} equal.
 *
 * @param panicButton panic button input, pull-down, HIGH while pressed
 * @param buttonLamp lamp in the button (call status), output, HIGH = lit
 * @param sirenRelay siren relay, output, HIGH = relay energised = siren sounding
 * @param lockerDoor locker door switch, pull-up, closed to ground while the door is shut (HIGH = open)
 * @param tamper enclosure tamper loop (the lid switch), pull-up, closed to ground while intact (HIGH = tampered)
 * @param slots item slot switches, pull-up, closed to ground while an item is in the slot (LOW = present)
 * @param acOk the power supply's AC-OK output (a contact or open collector that conducts while mains is there),
 *        pull-up, closed to ground while on mains (HIGH = mains lost, or the wire is cut); {@link #NONE} when the box
 *        has no such signal (its mains state is then not reported)
 */
public record Pins(int panicButton, int buttonLamp, int sirenRelay, int lockerDoor, int tamper, List<Slot> slots,
        int acOk) {

    public static final String PANIC_BUTTON = DeviceConfigKeys.PIN_PREFIX + "panic-button";
    public static final String BUTTON_LAMP = DeviceConfigKeys.PIN_PREFIX + "button-lamp";
    public static final String SIREN_RELAY = DeviceConfigKeys.PIN_PREFIX + "siren-relay";
    public static final String LOCKER_DOOR = DeviceConfigKeys.PIN_PREFIX + "locker-door";
    public static final String TAMPER = DeviceConfigKeys.PIN_PREFIX + "tamper";
    public static final String SLOT_PREFIX = DeviceConfigKeys.PIN_PREFIX + "slot.";
    public static final String AC_OK = DeviceConfigKeys.PIN_PREFIX + "ac-ok";
    /** An optional input that is not fitted. */
    public static final int NONE = -1;

    /** Default slot layout: what a unit with 3 members on duty must keep in its locker (DOMAIN.md). */
    public static final Map<ItemKind, Integer> DEFAULT_LAYOUT = defaultLayout();

    /** Default pins of the default slot layout, in layout order. */
    static final Map<String, Integer> DEFAULT_SLOT_PINS = defaultSlotPins();

    public static final Pins DEFAULT = new Pins(17, 27, 22, 23, 24, defaultSlots(), 11);

    public Pins {
        slots = List.copyOf(slots);
    }

    /** Key of one slot's pin: {@code pin.slot.<kind>.<number>}. */
    public static String slotKey(ItemKind kind, int number) {
        return SLOT_PREFIX + kind.wireName() + "." + number;
    }

    /**
     * Every pin of this map by its key: fixed pins first, then the slots in layout order, then the AC-OK input (unless
     * {@link #NONE}).
     */
    public Map<String, Integer> byKey() {
        Map<String, Integer> pins = new LinkedHashMap<>();
        pins.put(PANIC_BUTTON, panicButton);
        pins.put(BUTTON_LAMP, buttonLamp);
        pins.put(SIREN_RELAY, sirenRelay);
        pins.put(LOCKER_DOOR, lockerDoor);
        pins.put(TAMPER, tamper);
        slots.forEach(slot -> pins.put(slot.key(), slot.pin()));
        if (acOk != NONE) {
            pins.put(AC_OK, acOk);
        }
        return pins;
    }

    private static Map<ItemKind, Integer> defaultLayout() {
        Map<ItemKind, Integer> layout = new LinkedHashMap<>();
        layout.put(ItemKind.WHISTLE, 3);
        layout.put(ItemKind.BATON, 3);
        layout.put(ItemKind.HELMET, 3);
        layout.put(ItemKind.FLASHLIGHT, 1);
        layout.put(ItemKind.LOUDSPEAKER, 1);
        layout.put(ItemKind.STEEL_FORK, 1);
        layout.put(ItemKind.SHIELD, 2);
        return Collections.unmodifiableMap(layout);
    }

    private static Map<String, Integer> defaultSlotPins() {
        // the 14 GPIOs left after the fixed pins, avoiding I2C (2, 3), the UART (14, 15) used by a modem and the
        // AC-OK input (11)
        int[] free = {5, 6, 12, 13, 16, 19, 20, 21, 26, 4, 25, 18, 7, 8};
        Map<String, Integer> pins = new LinkedHashMap<>();
        int next = 0;
        for (Map.Entry<ItemKind, Integer> entry : defaultLayout().entrySet()) {
            for (int number = 1; number <= entry.getValue(); number++) {
                pins.put(slotKey(entry.getKey(), number), free[next++]);
            }
        }
        return Collections.unmodifiableMap(pins);
    }

    private static List<Slot> defaultSlots() {
        List<Slot> slots = new ArrayList<>();
        defaultLayout().forEach((kind, count) -> {
            for (int number = 1; number <= count; number++) {
                slots.add(new Slot(kind, number, DEFAULT_SLOT_PINS.get(slotKey(kind, number))));
            }
        });
        return slots;
    }
}
