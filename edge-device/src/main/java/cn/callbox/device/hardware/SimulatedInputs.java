package cn.callbox.device.hardware;

import java.util.Map;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

import cn.callbox.device.config.Pins;
import cn.callbox.device.config.Slot;
import cn.callbox.protocol.ItemKind;

/**
 * Hands on the mock pins of a simulated board, in the words of the switches: what a finger, a door or an item would
 * do to the contacts. Changes go through Pi4J's listeners, the same path as real GPIO edges. Thread-safe.
 */
public final class SimulatedInputs {

    private final Map<Integer, DigitalInput> inputs;
    private final Pins pins;

    SimulatedInputs(Map<Integer, DigitalInput> inputs, Pins pins) {
        this.inputs = inputs;
        this.pins = pins;
    }

    /** Presses and releases the panic button. */
    public synchronized void pressButton() {
        MockDigitalInput button = mock(pins.panicButton());
        button.mockState(DigitalState.HIGH);
        button.mockState(DigitalState.LOW);
    }

    public synchronized void door(boolean open) {
        mock(pins.lockerDoor()).mockState(open ? DigitalState.HIGH : DigitalState.LOW);
    }

    /** The enclosure's tamper switch (the lid): open = tampered. */
    public synchronized void tamper(boolean tampered) {
        mock(pins.tamper()).mockState(tampered ? DigitalState.HIGH : DigitalState.LOW);
    }

    /**
     * The power supply's AC-OK signal: mains there (closed to ground) or lost.
     *
     * @throws IllegalStateException when the box has no AC-OK input ({@code pin.ac-ok=none})
     */
    public synchronized void mains(boolean present) {
        mock(pins.acOk()).mockState(present ? DigitalState.LOW : DigitalState.HIGH);
    }

    /** Whether the locker has slots for {@code kind}. */
    public boolean hasSlots(ItemKind kind) {
        return pins.slots().stream().anyMatch(slot -> slot.kind() == kind);
    }

    /**
     * Takes one item of {@code kind} out of its slot (opens the first closed slot switch).
     *
     * @return false when no slot of that kind holds an item
     */
    public synchronized boolean take(ItemKind kind) {
        return flipFirst(kind, DigitalState.LOW, DigitalState.HIGH);
    }

    /**
     * Puts one item of {@code kind} back (closes the first open slot switch).
     *
     * @return false when every slot of that kind is already full
     */
    public synchronized boolean giveBack(ItemKind kind) {
        return flipFirst(kind, DigitalState.HIGH, DigitalState.LOW);
    }

    private boolean flipFirst(ItemKind kind, DigitalState from, DigitalState to) {
        for (Slot slot : pins.slots()) {
            if (slot.kind() == kind) {
                MockDigitalInput input = mock(slot.pin());
                if (input.state() == from) {
                    input.mockState(to);
                    return true;
                }
            }
        }
        return false;
    }

    private MockDigitalInput mock(int pin) {
        DigitalInput input = inputs.get(pin);
        if (!(input instanceof MockDigitalInput mock)) {
            throw new IllegalStateException("pin " + pin + " is not a simulated input");
        }
        return mock;
    }
}
