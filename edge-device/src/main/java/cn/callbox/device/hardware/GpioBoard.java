package cn.callbox.device.hardware;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.tinylog.Logger;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

import cn.callbox.device.config.Pins;
import cn.callbox.device.config.Slot;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.io.CurrentSensor;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.panic.PanicButton;
import cn.callbox.device.power.PowerSupply;
import cn.callbox.device.time.Scheduler;

/**
 * The box's GPIO, on an explicitly built Pi4J context: the gpiod providers on a Pi, or the mock platform for
 * {@code --simulate} and tests. Nothing is auto-detected, so a real Pi never ends up on mock pins. Creates the
 * Pi4J-backed components; the only class that holds the Pi4J {@link Context}.
 */
public final class GpioBoard implements AutoCloseable {

    private final Context pi4j;
    private final boolean simulated;
    private final String inputProvider;
    private final String outputProvider;
    private final Map<Integer, DigitalInput> inputs = new ConcurrentHashMap<>();
    private final AtomicInteger i2cAttempts = new AtomicInteger();

    private GpioBoard(Context pi4j, boolean simulated, String inputProvider, String outputProvider) {
        this.pi4j = pi4j;
        this.simulated = simulated;
        this.inputProvider = inputProvider;
        this.outputProvider = outputProvider;
    }

    /** The Pi's GPIO through libgpiod. Fails off a Pi (no gpio chip) when the first pin is created. */
    public static GpioBoard gpiod() {
        // I2C through /dev/i2c-N (linuxfs): gpiod has no I2C; the bus is opened only when a sensor is first read
        Context context = Pi4J.newContextBuilder().add(GpioDDigitalInputProvider.newInstance(),
                GpioDDigitalOutputProvider.newInstance(), LinuxFsI2CProvider.newInstance()).build();
        return new GpioBoard(context, false, GpioDDigitalInputProvider.ID, GpioDDigitalOutputProvider.ID);
    }

    /** Pi4J's mock platform: pins are driven by {@link #simulatedInputs()}. */
    public static GpioBoard simulated() {
        Context context = Pi4J.newContextBuilder().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance()).build();
        return new GpioBoard(context, true, MockDigitalInputProvider.ID, MockDigitalOutputProvider.ID);
    }

    public boolean isSimulated() {
        return simulated;
    }

    /**
     * The panic button on {@code pin} (pull-down, pressed = HIGH).
     *
     * @param debounce presses closer than this to the last accepted one are ignored (also set as the gpiod debounce)
     */
    public PanicButton panicButton(int pin, Duration debounce, Clock clock) {
        DigitalInput input = input("panic-button", pin, PullResistance.PULL_DOWN, debounce);
        return new Pi4jPanicButton(input, debounce, clock);
    }

    /** An output line, LOW at start and on shutdown. */
    public BinaryOutput output(String id, int pin) {
        DigitalOutput output = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id).name(id).address(pin)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW).provider(outputProvider));
        return new Pi4jOutput(output);
    }

    /**
     * An INA219 current sensor on I2C (real GPIO only: a simulated box measures with {@link SimulatedCurrentSensor}).
     * Nothing is opened here: a missing bus or chip shows as an {@link java.io.IOException} on each read.
     *
     * @param id names the sensor in messages, e.g. {@code siren-branch}
     * @param shuntOhms the fitted shunt resistor
     */
    public CurrentSensor currentSensor(String id, int bus, int address, double shuntOhms) {
        if (simulated) {
            throw new IllegalStateException("a simulated board has no I2C; use SimulatedCurrentSensor");
        }
        String name = id + " (I2C " + bus + ", 0x" + Integer.toHexString(address) + ")";
        // a fresh Pi4J id per attempt: an attempt that failed may have left its id in the registry
        return new Ina219(() -> pi4j.create(I2C.newConfigBuilder(pi4j).id(id + "-" + i2cAttempts.incrementAndGet())
                .name(name).bus(bus).device(address).provider(LinuxFsI2CProvider.ID)), shuntOhms, name);
    }

    /**
     * The locker's door, tamper and slot switches (all pull-up, closed to ground), slot changes debounced: a slot
     * count changes only once the slot switches of that kind have held still for {@code slotDebounce}.
     *
     * @param timing runs the debounce timers; its clock dates the changes
     */
    public Locker locker(Pins pins, Scheduler timing, Duration slotDebounce) {
        return locker(pins, timing.clock(), timing, slotDebounce);
    }

    /** The locker without slot debouncing beyond the pins' own 20 ms: every settled pin change counts at once. */
    public Locker locker(Pins pins, Clock clock) {
        return locker(pins, clock, null, Duration.ZERO);
    }

    private Locker locker(Pins pins, Clock clock, Scheduler timing, Duration slotDebounce) {
        DigitalInput door = input("locker-door", pins.lockerDoor(), PullResistance.PULL_UP, Duration.ofMillis(20));
        DigitalInput tamper = input("tamper", pins.tamper(), PullResistance.PULL_UP, Duration.ofMillis(20));
        Map<Slot, DigitalInput> slots = new LinkedHashMap<>();
        pins.slots().forEach(slot -> slots.put(slot,
                input("slot-" + slot.kind().wireName() + "-" + slot.number(), slot.pin(), PullResistance.PULL_UP,
                        Duration.ofMillis(20))));
        return new Pi4jLocker(door, tamper, slots, clock, timing, slotDebounce);
    }

    /**
     * The power supply's AC-OK signal on {@code pin} (pull-up, closed to ground while on mains). Debounced 100 ms: a
     * mains flicker of a few cycles is no loss of mains.
     */
    public PowerSupply powerSupply(int pin) {
        return new Pi4jPowerSupply(input("ac-ok", pin, PullResistance.PULL_UP, Duration.ofMillis(100)));
    }

    /** Drives the mock pins of a simulated board. */
    public SimulatedInputs simulatedInputs(Pins pins) {
        if (!simulated) {
            throw new IllegalStateException("only a simulated board has simulated inputs");
        }
        return new SimulatedInputs(inputs, pins);
    }

    private DigitalInput input(String id, int pin, PullResistance pull, Duration debounce) {
        DigitalInput input = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id(id).name(id).address(pin).pull(pull)
                .debounce(debounce.toNanos() / 1000).provider(inputProvider));
        inputs.put(pin, input);
        return input;
    }

    @Override
    public void close() {
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            Logger.warn("Pi4J shutdown: {}", e.getMessage());
        }
    }
}
