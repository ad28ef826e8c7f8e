package cn.callbox.device.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.device.config.Pins;
import cn.callbox.device.io.BinaryOutput;

/** The simulated INA219s: current only while the relay pin is really high and the part is not broken. */
class SimulatedCurrentSensorTest {

    private final GpioBoard board = GpioBoard.simulated();
    private final BinaryOutput relay = board.output("siren-relay", Pins.DEFAULT.sirenRelay());
    private final SimulatedFaults faults = new SimulatedFaults();
    private final SimulatedCurrentSensor siren = new SimulatedCurrentSensor(relay::isOn, faults,
            SimulatedFaults.Part.SIREN, SimulatedCurrentSensor.SIREN_MILLIAMPS);
    private final SimulatedCurrentSensor amplifier = new SimulatedCurrentSensor(() -> true, faults,
            SimulatedFaults.Part.LOUDSPEAKER, SimulatedCurrentSensor.AMPLIFIER_IDLE_MILLIAMPS);

    @AfterEach
    void shutdown() {
        board.close();
    }

    @Test
    void the_siren_branch_draws_current_only_while_the_relay_pin_is_high() {
        assertEquals(0.0, siren.read().milliamps());
        relay.set(true);
        assertEquals(SimulatedCurrentSensor.SIREN_MILLIAMPS, siren.read().milliamps());
        assertEquals(12_800, siren.read().busMillivolts());
        relay.set(false);
        assertEquals(0.0, siren.read().milliamps());
    }

    @Test
    void a_broken_part_draws_nothing_until_repaired_and_only_that_part() {
        relay.set(true);
        faults.breakPart(SimulatedFaults.Part.SIREN);

        assertEquals(0.0, siren.read().milliamps());
        assertEquals(SimulatedCurrentSensor.AMPLIFIER_IDLE_MILLIAMPS, amplifier.read().milliamps());
        faults.breakPart(SimulatedFaults.Part.LOUDSPEAKER);
        assertEquals(0.0, amplifier.read().milliamps());
        assertEquals(List.of(SimulatedFaults.Part.SIREN, SimulatedFaults.Part.LOUDSPEAKER), faults.broken());

        faults.repair(SimulatedFaults.Part.SIREN);
        assertEquals(SimulatedCurrentSensor.SIREN_MILLIAMPS, siren.read().milliamps());
        assertEquals(List.of(SimulatedFaults.Part.LOUDSPEAKER), faults.broken());
    }

    @Test
    void parts_are_named_by_their_wire_names() {
        assertEquals(SimulatedFaults.Part.SIREN, SimulatedFaults.Part.parse("siren").orElseThrow());
        assertEquals(SimulatedFaults.Part.LOUDSPEAKER, SimulatedFaults.Part.parse("Loudspeaker").orElseThrow());
        assertEquals(true, SimulatedFaults.Part.parse("lamp").isEmpty());
    }
}
