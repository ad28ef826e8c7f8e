package cn.callbox.device;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.tinylog.Logger;

import cn.callbox.device.alarm.Outbox;
import cn.callbox.device.alarm.OutboxDelivery;
import cn.callbox.device.alarm.PressCounter;
import cn.callbox.device.announce.EspeakLoudspeaker;
import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.device.announce.SimulatedLoudspeaker;
import cn.callbox.device.call.CallStatus;
import cn.callbox.device.config.CurrentSensors;
import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.config.Pins;
import cn.callbox.device.firmware.FirmwareUpdater;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.device.hardware.SimulatedCurrentSensor;
import cn.callbox.device.hardware.SimulatedFaults;
import cn.callbox.device.hardware.SimulatedInputs;
import cn.callbox.device.health.BatteryGauge;
import cn.callbox.device.health.BatteryWatch;
import cn.callbox.device.health.CommandSignalMeter;
import cn.callbox.device.health.FileBatteryGauge;
import cn.callbox.device.health.SignalMeter;
import cn.callbox.device.health.SimulatedHealth;
import cn.callbox.device.health.VoltageBatteryGauge;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.io.CurrentSensor;
import cn.callbox.device.io.PulsedOutput;
import cn.callbox.device.lamp.BlinkingLamp;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.lwm2m.CallBoxClient;
import cn.callbox.device.panic.PanicButton;
import cn.callbox.device.panic.PanicResponder;
import cn.callbox.device.power.PowerSupply;
import cn.callbox.device.selftest.EspeakSpeechCheck;
import cn.callbox.device.selftest.SelfTest;
import cn.callbox.device.selftest.SpeechCheck;
import cn.callbox.device.siren.RelaySiren;
import cn.callbox.device.siren.Siren;
import cn.callbox.device.time.ExecutorScheduler;
import cn.callbox.device.time.Scheduler;

/**
 * One call box, wired: GPIO components, local first response, outbox and delivery, LwM2M client. Built by
 * {@link CallBoxMain} and by tests; {@link #close()} silences the siren, deregisters and releases the pins.
 */
public final class CallBox implements AutoCloseable {

    /** How long the modem's signal command may take (the hub waits 10 s for the whole read). */
    static final Duration MODEM_TIMEOUT = Duration.ofSeconds(3);

    private final GpioBoard board;
    private final ExecutorScheduler timing;
    private final ExecutorScheduler deliveryThread;
    private final Siren siren;
    private final Loudspeaker loudspeaker;
    private final Locker locker;
    private final CallStatus callStatus;
    private final Outbox outbox;
    private final CallBoxClient client;
    private final FirmwareUpdater firmware;
    private final SimulatedInputs simulatedInputs;
    private final PowerSupply power;
    private final BatteryWatch battery;
    private final SimulatedFaults simulatedFaults;

    private CallBox(DeviceConfig config, GpioBoard board, Clock clock, CallBoxClient.Timing clientTiming,
            Runnable reboot, Path firmwareDir, Runnable restartForFirmware) throws IOException {
        this.board = board;
        this.timing = new ExecutorScheduler("callbox-timing", clock);
        this.deliveryThread = new ExecutorScheduler("callbox-outbox", clock);
        Messages messages = Messages.chinese(config.place());
        outbox = Outbox.open(config.outboxDir());
        PressCounter counter = PressCounter.open(config.outboxDir(), outbox.maxSequence());

        var pins = config.pins();
        BinaryOutput relayLine = board.output("siren-relay", pins.sirenRelay());
        // the siren drives the relay through this; the self-test pulses it below the siren to measure its current
        PulsedOutput sirenRelay = new PulsedOutput(relayLine, PulsedOutput.Pause.SLEEP);
        siren = new RelaySiren(sirenRelay, timing, config.timing().sirenMaxOn());
        BlinkingLamp lamp = new BlinkingLamp(board.output("button-lamp", pins.buttonLamp()), timing);
        loudspeaker = board.isSimulated() ? new SimulatedLoudspeaker(timing) : new EspeakLoudspeaker("espeak-ng");
        callStatus = new CallStatus(lamp, loudspeaker, messages);
        locker = board.locker(pins, timing, config.timing().slotDebounce());
        PanicButton button = board.panicButton(pins.panicButton(), config.timing().debounce(), clock);
        power = pins.acOk() == Pins.NONE ? null : board.powerSupply(pins.acOk());
        if (power == null) {
            Logger.warn("No AC-OK input ({}=none, or its pin taken by a slot): mains loss is not reported",
                    Pins.AC_OK);
        }
        BatteryGauge gauge = battery(config, board);
        battery = gauge == null ? null : BatteryWatch.start(gauge, timing, BatteryWatch.DEFAULT_PERIOD);
        simulatedInputs = board.isSimulated() ? board.simulatedInputs(pins) : null;

        // an alarm beats an update: an installed firmware restarts only once the siren is silent
        firmware = new FirmwareUpdater(firmwareDir, config.firmwareTrustedKeys(), config.firmwareDownloadCas(),
                FirmwareUpdater.DEFAULT_DOWNLOAD_TIMEOUT, siren::isSounding, restartForFirmware,
                CallBoxClient.FIRMWARE_VERSION, config.timing().firmwareConfirmAfter(), clock);

        simulatedFaults = board.isSimulated() ? new SimulatedFaults() : null;
        SelfTest selfTest = selfTest(board, relayLine, sirenRelay, messages);
        OutboxDelivery[] delivery = new OutboxDelivery[1];
        client = new CallBoxClient(config, new CallBoxClient.Parts(button, counter, siren, loudspeaker, messages,
                locker, callStatus, selfTest, reboot, battery, modemSignal(config, board), firmware, power), clock,
                clientTiming, () -> delivery[0].wake());
        delivery[0] = new OutboxDelivery(outbox, client.alarmTransport(), deliveryThread, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        PanicResponder responder = new PanicResponder(counter, outbox, delivery[0], siren, callStatus,
                config.timing().alarmSiren());
        responder.onHandled(client.pressHandled());
        button.onPress(responder);
    }

    /**
     * The self-test on the box's current sensors: the INA219s on I2C, or on a simulated board sensors that read the
     * mock relay pin and the simulated faults (its loudspeaker synthesises nothing, so there is no speech chain).
     */
    private SelfTest selfTest(GpioBoard board, BinaryOutput relayLine, PulsedOutput sirenRelay, Messages messages) {
        CurrentSensor sirenBranch;
        CurrentSensor amplifierBranch;
        SpeechCheck speech;
        if (board.isSimulated()) {
            sirenBranch = new SimulatedCurrentSensor(relayLine::isOn, simulatedFaults, SimulatedFaults.Part.SIREN,
                    SimulatedCurrentSensor.SIREN_MILLIAMPS);
            amplifierBranch = new SimulatedCurrentSensor(() -> true, simulatedFaults, SimulatedFaults.Part.LOUDSPEAKER,
                    SimulatedCurrentSensor.AMPLIFIER_IDLE_MILLIAMPS);
            speech = SpeechCheck.NOTHING_TO_CHECK;
        } else {
            CurrentSensors sensors = CurrentSensors.DEFAULT;
            sirenBranch = board.currentSensor("siren-branch", sensors.bus(), sensors.sirenAddress(),
                    sensors.shuntOhms());
            amplifierBranch = board.currentSensor("amplifier-branch", sensors.bus(), sensors.amplifierAddress(),
                    sensors.shuntOhms());
            speech = new EspeakSpeechCheck("espeak-ng", EspeakSpeechCheck.VOICE, "aplay",
                    messages.clip("test").orElse("测试"));
        }
        return new SelfTest(new SelfTest.Parts(siren, sirenRelay, sirenBranch, loudspeaker, amplifierBranch, speech,
                messages, locker, timing), SelfTest.Limits.DEFAULT);
    }

    /** The configured battery gauge; on a simulated board without one, a simulated UPS; else none. */
    private static BatteryGauge battery(DeviceConfig config, GpioBoard board) {
        Path file = config.health().batteryFile();
        if (file != null) {
            return new FileBatteryGauge(file);
        }
        Path millivolts = config.health().batteryMillivoltsFile();
        if (millivolts != null) {
            return new VoltageBatteryGauge(millivolts);
        }
        return board.isSimulated() ? new SimulatedHealth() : null;
    }

    /** The configured modem; on a simulated board without one, a simulated modem; else none. */
    private static SignalMeter modemSignal(DeviceConfig config, GpioBoard board) {
        String command = config.health().modemSignalCommand();
        if (command != null) {
            return new CommandSignalMeter(command, MODEM_TIMEOUT);
        }
        return board.isSimulated() ? new SimulatedHealth() : null;
    }

    /**
     * Builds a box (not yet connected: call {@link #start()}).
     *
     * @param reboot what a Device/Reboot execute from the hub does
     * @throws IOException when the outbox folder cannot be used
     */
    public static CallBox create(DeviceConfig config, GpioBoard board, Clock clock, CallBoxClient.Timing clientTiming,
            Runnable reboot) throws IOException {
        return new CallBox(config, board, clock, clientTiming, reboot, null, () -> {
        });
    }

    /**
     * Builds a box that can update its firmware over the air (not yet connected: call {@link #start()}).
     *
     * @param reboot what a Device/Reboot execute from the hub does
     * @param firmwareDir the firmware folder the wrapper passes ({@code --firmware-dir}); null: updates are refused
     * @param restartForFirmware stops the firmware after a new one is installed (for the service manager to start
     *        it); called on the firmware thread once the siren is silent
     * @throws IOException when the outbox folder cannot be used
     */
    public static CallBox create(DeviceConfig config, GpioBoard board, Clock clock, CallBoxClient.Timing clientTiming,
            Runnable reboot, Path firmwareDir, Runnable restartForFirmware) throws IOException {
        return new CallBox(config, board, clock, clientTiming, reboot, firmwareDir, restartForFirmware);
    }

    /** Starts registering with the hub (in the background, forever until registered). */
    public void start() {
        client.start();
    }

    public boolean registered() {
        return client.isRegistered();
    }

    public Siren siren() {
        return siren;
    }

    public Loudspeaker loudspeaker() {
        return loudspeaker;
    }

    public Locker locker() {
        return locker;
    }

    public CallStatus callStatus() {
        return callStatus;
    }

    /** The power supply's AC-OK signal; null when the box has none. */
    public PowerSupply power() {
        return power;
    }

    /** The battery gauge, read every minute; null when the box has none. */
    public BatteryGauge battery() {
        return battery;
    }

    /** The box's worker threads by name (siren and lamp timing, outbox delivery), for the service watchdog. */
    public Map<String, Scheduler> workers() {
        return Map.of("callbox-timing", timing, "callbox-outbox", deliveryThread);
    }

    /** Records not yet acknowledged by the hub. */
    public int outboxSize() {
        return outbox.size();
    }

    /** The mock pins, for a simulated board; null on real GPIO. */
    public SimulatedInputs simulatedInputs() {
        return simulatedInputs;
    }

    /** The broken parts of a simulated board (simulator API {@code /faults}); null on real GPIO. */
    public SimulatedFaults simulatedFaults() {
        return simulatedFaults;
    }

    /** Object 5's logic: downloads, installs, the firmware version running. */
    public FirmwareUpdater firmware() {
        return firmware;
    }

    @Override
    public void close() {
        if (battery != null) {
            battery.stop();
        }
        firmware.close();
        siren.stop();
        try {
            client.stop();
        } catch (RuntimeException e) {
            Logger.warn("LwM2M client stop: {}", e.getMessage());
        }
        if (loudspeaker instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                Logger.warn("Loudspeaker close: {}", e.getMessage());
            }
        }
        deliveryThread.close();
        timing.close();
        board.close();
    }
}
