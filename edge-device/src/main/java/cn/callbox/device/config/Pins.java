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
 * @param tamper enclosure tamper loop, pull-up, closed to ground while intact (HIGH = tampered)
 * @param slots item slot switches, pull-up, closed to ground while an item is in the slot (LOW = present)
 */
public record Pins(int panicButton, int buttonLamp, int sirenRelay, int lockerDoor, int tamper, List<Slot> slots) {

    public static final String PANIC_BUTTON = DeviceConfigKeys.PIN_PREFIX + "panic-button";
    public static final String BUTTON_LAMP = DeviceConfigKeys.PIN_PREFIX + "button-lamp";
    public static final String SIREN_RELAY = DeviceConfigKeys.PIN_PREFIX + "siren-relay";
    public static final String LOCKER_DOOR = DeviceConfigKeys.PIN_PREFIX + "locker-door";
    public static final String TAMPER = DeviceConfigKeys.PIN_PREFIX + "tamper";
    public static final String SLOT_PREFIX = DeviceConfigKeys.PIN_PREFIX + "slot.";

    /** Default slot layout: what a unit with 3 members on duty must keep in its locker (DOMAIN.md). */
    public static final Map<ItemKind, Integer> DEFAULT_LAYOUT = defaultLayout();

    /** Default pins of the default slot layout, in layout order. */
    static final Map<String, Integer> DEFAULT_SLOT_PINS = defaultSlotPins();

    public static final Pins DEFAULT = new Pins(17, 27, 22, 23, 24, defaultSlots());

    public Pins {
        slots = List.copyOf(slots);
    }

    /** Key of one slot's pin: {@code pin.slot.<kind>.<number>}. */
    public static String slotKey(ItemKind kind, int number) {
        return SLOT_PREFIX + kind.wireName() + "." + number;
    }

    /** Every pin of this map by its key, fixed pins first, then the slots in layout order. */
    public Map<String, Integer> byKey() {
        Map<String, Integer> pins = new LinkedHashMap<>();
        pins.put(PANIC_BUTTON, panicButton);
        pins.put(BUTTON_LAMP, buttonLamp);
        pins.put(SIREN_RELAY, sirenRelay);
        pins.put(LOCKER_DOOR, lockerDoor);
        pins.put(TAMPER, tamper);
        slots.forEach(slot -> pins.put(slot.key(), slot.pin()));
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
        // the 14 GPIOs left after the fixed pins, avoiding I2C (2, 3) and the UART (14, 15) used by a modem
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
