package cn.callbox.device.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.device.config.Pins;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.panic.PanicButton;
import cn.callbox.device.power.PowerSupply;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.ItemKind;

/** The Pi4J components on Pi4J's mock platform: pin changes travel through Pi4J listeners as on a Pi. */
class GpioComponentsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private final GpioBoard board = GpioBoard.simulated();
    private final ManualScheduler.ManualClock clock = new ManualScheduler(T0).manualClock();
    private final SimulatedInputs pins = board.simulatedInputs(Pins.DEFAULT);

    @AfterEach
    void shutdown() {
        board.close();
    }

    @Test
    void a_press_reaches_the_listener_with_its_time() {
        PanicButton button = board.panicButton(Pins.DEFAULT.panicButton(), Duration.ofMillis(50), clock);
        List<Instant> presses = new ArrayList<>();
        button.onPress(presses::add);

        pins.pressButton();

        assertEquals(List.of(T0), presses);
        assertFalse(button.isPressed(), "released again");
    }

    @Test
    void a_second_edge_within_the_debounce_window_is_ignored() {
        PanicButton button = board.panicButton(Pins.DEFAULT.panicButton(), Duration.ofMillis(50), clock);
        List<Instant> presses = new ArrayList<>();
        button.onPress(presses::add);

        pins.pressButton();
        clock.advance(Duration.ofMillis(49));
        pins.pressButton(); // contact bounce
        clock.advance(Duration.ofMillis(1));
        pins.pressButton(); // 50 ms after the accepted press: a real second press

        assertEquals(List.of(T0, T0.plusMillis(50)), presses);
    }

    @Test
    void outputs_switch_their_pins() {
        BinaryOutput relay = board.output("siren-relay", Pins.DEFAULT.sirenRelay());
        assertFalse(relay.isOn(), "outputs start LOW");
        relay.set(true);
        assertTrue(relay.isOn());
        relay.set(false);
        assertFalse(relay.isOn());
    }

    @Test
    void locker_counts_closed_slot_switches_per_kind_and_reports_changes() {
        Locker locker = board.locker(Pins.DEFAULT, clock);
        List<String> events = new ArrayList<>();
        locker.addListener(new Locker.LockerListener() {
            @Override
            public void doorChanged(boolean open) {
                events.add("door " + open);
            }

            @Override
            public void itemsChanged(ItemKind kind, int present) {
                events.add(kind.wireName() + " " + present);
            }
        });
        assertEquals(3, locker.present(ItemKind.WHISTLE), "all slots closed at start");
        assertEquals(2, locker.slotsFitted(ItemKind.SHIELD));
        assertEquals(0, locker.present(ItemKind.STAB_VEST));
        assertFalse(locker.doorOpen());

        clock.advance(Duration.ofSeconds(5));
        pins.door(true);
        assertTrue(pins.take(ItemKind.SHIELD));
        assertTrue(pins.take(ItemKind.SHIELD));
        assertFalse(pins.take(ItemKind.SHIELD), "no shield left to take");
        assertTrue(pins.giveBack(ItemKind.SHIELD));
        pins.door(false);

        assertEquals(1, locker.present(ItemKind.SHIELD));
        assertEquals(T0.plusSeconds(5), locker.changedAt(ItemKind.SHIELD));
        assertEquals(List.of("door true", "shield 1", "shield 0", "shield 1", "door false"), events);
        assertFalse(locker.doorOpen());
    }

    @Test
    void flapping_slot_switches_are_debounced_to_one_change() {
        ManualScheduler timing = new ManualScheduler(T0);
        Locker locker = board.locker(Pins.DEFAULT, timing, Duration.ofMillis(200));
        List<String> events = new ArrayList<>();
        locker.addListener(new Locker.LockerListener() {
            @Override
            public void itemsChanged(ItemKind kind, int present) {
                events.add(kind.wireName() + " " + present + " at " + timing.clock().instant());
            }
        });

        // an item wiggled in its slot: out and back within 150 ms, never settled
        assertTrue(pins.take(ItemKind.HELMET));
        timing.advance(Duration.ofMillis(150));
        assertTrue(pins.giveBack(ItemKind.HELMET));
        timing.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), events, "a change shorter than the debounce is ignored");
        assertEquals(3, locker.present(ItemKind.HELMET));

        // a flapping microswitch: five edges 50 ms apart, ending with the helmet out
        for (int i = 0; i < 5; i++) {
            if (i % 2 == 0) {
                pins.take(ItemKind.HELMET);
            } else {
                pins.giveBack(ItemKind.HELMET);
            }
            timing.advance(Duration.ofMillis(50));
        }
        assertEquals(List.of(), events, "nothing while it flaps");
        timing.advance(Duration.ofMillis(150));

        assertEquals(List.of("helmet 2 at " + T0.plusMillis(1150 + 250 + 150)), events);
        assertEquals(2, locker.present(ItemKind.HELMET));
    }

    @Test
    void tamper_loop_opening_is_reported() {
        Locker locker = board.locker(Pins.DEFAULT, clock);
        assertFalse(locker.tampered());
        pins.tamper(true);
        assertTrue(locker.tampered());
    }

    @Test
    void ac_ok_signal_tells_mains_lost_and_restored_once_each() {
        PowerSupply power = board.powerSupply(Pins.DEFAULT.acOk());
        List<Boolean> changes = new ArrayList<>();
        power.addListener(changes::add);
        assertTrue(power.onMains(), "AC-OK closed to ground: on mains");

        pins.mains(false);
        assertFalse(power.onMains());
        pins.mains(false);
        pins.mains(true);
        assertTrue(power.onMains());
        assertEquals(List.of(false, true), changes);
    }
}
