package cn.callbox.device.hardware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

import cn.callbox.device.config.Slot;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.ItemKind;

/**
 * Locker switches on pull-up inputs closed to ground: door shut = LOW, tamper loop intact = LOW, item in slot = LOW.
 * An open circuit (broken wire) therefore reads as door open, tampered and item missing: the safe side.
 * <p>
 * Slot switches are debounced per item kind: after a slot edge the count is read once the kind's switches have been
 * still for {@code slotDebounce} (each edge restarts the wait), so an item wiggled in its slot or a flapping
 * microswitch gives at most one change, and none when it ends where it started.
 */
final class Pi4jLocker implements Locker {

    private final DigitalInput door;
    private final DigitalInput tamper;
    private final Map<ItemKind, List<DigitalInput>> slots = new LinkedHashMap<>();
    private final Clock clock;
    private final List<LockerListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ItemKind, Integer> present = new EnumMap<>(ItemKind.class);
    private final Map<ItemKind, Instant> changedAt = new EnumMap<>(ItemKind.class);
    private final Scheduler timing;
    private final Duration slotDebounce;
    private final Map<ItemKind, Scheduler.Cancellable> settling = new EnumMap<>(ItemKind.class);
    private boolean doorOpen;
    private boolean tampered;
    private Instant doorChangedAt;

    /**
     * @param timing runs the slot debounce timers; null (with a zero debounce) counts every slot edge at once
     */
    Pi4jLocker(DigitalInput door, DigitalInput tamper, Map<Slot, DigitalInput> slotInputs, Clock clock,
            Scheduler timing, Duration slotDebounce) {
        this.timing = timing;
        this.slotDebounce = slotDebounce == null ? Duration.ZERO : slotDebounce;
        if (timing == null && !this.slotDebounce.isZero()) {
            throw new IllegalArgumentException("a slot debounce needs a scheduler");
        }
        this.door = door;
        this.tamper = tamper;
        this.clock = clock;
        Instant now = clock.instant();
        slotInputs.forEach((slot, input) -> slots.computeIfAbsent(slot.kind(), k -> new ArrayList<>()).add(input));
        doorOpen = door.state() == DigitalState.HIGH;
        tampered = tamper.state() == DigitalState.HIGH;
        doorChangedAt = now;
        slots.forEach((kind, inputs) -> {
            present.put(kind, count(inputs));
            changedAt.put(kind, now);
        });
        door.addListener(event -> doorEvent(event.state() == DigitalState.HIGH));
        tamper.addListener(event -> tamperEvent(event.state() == DigitalState.HIGH));
        slots.forEach((kind, inputs) -> inputs.forEach(input -> input.addListener(event -> slotEvent(kind))));
    }

    private static int count(List<DigitalInput> inputs) {
        return (int) inputs.stream().filter(input -> input.state() == DigitalState.LOW).count();
    }

    private void doorEvent(boolean open) {
        synchronized (this) {
            if (open == doorOpen) {
                return;
            }
            doorOpen = open;
            doorChangedAt = clock.instant();
        }
        Logger.info("Locker door {}", open ? "opened" : "closed");
        listeners.forEach(listener -> listener.doorChanged(open));
    }

    private void tamperEvent(boolean now) {
        synchronized (this) {
            if (now == tampered) {
                return;
            }
            tampered = now;
        }
        if (now) {
            Logger.warn("Locker tamper loop open");
        } else {
            Logger.info("Locker tamper loop closed again");
        }
        listeners.forEach(listener -> listener.tamperChanged(now));
    }

    private void slotEvent(ItemKind kind) {
        if (timing == null || slotDebounce.isZero()) {
            settle(kind);
            return;
        }
        synchronized (this) {
            Scheduler.Cancellable previous = settling.get(kind);
            if (previous != null) {
                previous.cancel();
            }
            settling.put(kind, timing.schedule(slotDebounce, () -> settle(kind)));
        }
    }

    /** Reads the kind's slots and reports a changed count. */
    private void settle(ItemKind kind) {
        int count = count(slots.get(kind));
        synchronized (this) {
            if (present.get(kind) == count) {
                return;
            }
            present.put(kind, count);
            changedAt.put(kind, clock.instant());
        }
        Logger.info("Locker: {} {} of {} present", kind.wireName(), count, slots.get(kind).size());
        listeners.forEach(listener -> listener.itemsChanged(kind, count));
    }

    @Override
    public synchronized boolean doorOpen() {
        return doorOpen;
    }

    @Override
    public synchronized Instant doorChangedAt() {
        return doorChangedAt;
    }

    @Override
    public synchronized boolean tampered() {
        return tampered;
    }

    @Override
    public List<ItemKind> kinds() {
        return List.copyOf(slots.keySet());
    }

    @Override
    public synchronized int present(ItemKind kind) {
        return present.getOrDefault(kind, 0);
    }

    @Override
    public int slotsFitted(ItemKind kind) {
        List<DigitalInput> inputs = slots.get(kind);
        return inputs == null ? 0 : inputs.size();
    }

    @Override
    public synchronized Instant changedAt(ItemKind kind) {
        return changedAt.getOrDefault(kind, doorChangedAt);
    }

    @Override
    public void addListener(LockerListener listener) {
        listeners.add(listener);
    }
}
