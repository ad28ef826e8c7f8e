package cn.callbox.device;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.tinylog.Logger;

import cn.callbox.device.config.ConfigException;
import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.device.lwm2m.CallBoxClient;
import cn.callbox.device.sim.SimulatorApi;
import cn.callbox.device.system.SystemdNotify;
import cn.callbox.device.system.SystemdWatchdog;
import cn.callbox.device.system.ThreadHeartbeat;
import cn.callbox.device.system.WritableFolder;
import cn.callbox.device.time.ExecutorScheduler;

/**
 * {@code java -jar callbox-edge.jar --config FILE [--firmware-dir DIR] [--simulate] [--sim-port N]}. Wiring only.
 * {@code --firmware-dir} is passed by the Debian package's wrapper script: the firmware slots (see
 * {@link cn.callbox.device.firmware}); without it the box refuses updates over the air. Exit codes: 0 after a clean
 * stop (SIGTERM/Ctrl-C), 2 for a usage or configuration error (one line on stderr), 3 when the hub asked for a reboot
 * or a new firmware was installed (the service manager restarts the firmware; with {@code --simulate} only after an
 * install), 1 when the box cannot start.
 */
public final class CallBoxMain {

    static final int DEFAULT_SIM_PORT = 8090;
    static final int EXIT_USAGE = 2;
    static final int EXIT_REBOOT = 3;
    private static final String USAGE = "usage: callbox-edge --config FILE [--firmware-dir DIR] [--simulate] "
            + "[--sim-port N]";

    private CallBoxMain() {
    }

    /**
     * Parsed command line.
     *
     * @param firmwareDir the firmware folder; null when not given
     */
    record Args(Path config, boolean simulate, int simPort, Path firmwareDir) {

        static Args parse(String[] args) throws ConfigException.Usage {
            Path config = null;
            Path firmwareDir = null;
            boolean simulate = false;
            Integer simPort = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> config = Path.of(value(args, ++i, "--config"));
                    case "--firmware-dir" -> firmwareDir = Path.of(value(args, ++i, "--firmware-dir"));
                    case "--simulate" -> simulate = true;
                    case "--sim-port" -> {
                        String text = value(args, ++i, "--sim-port");
                        try {
                            simPort = Integer.parseInt(text);
                        } catch (NumberFormatException e) {
                            throw new ConfigException.Usage("--sim-port must be a port number 0-65535, got '" + text + "'");
                        }
                        if (simPort < 0 || simPort > 65_535) {
                            throw new ConfigException.Usage("--sim-port must be a port number 0-65535, got " + simPort);
                        }
                    }
                    default -> throw new ConfigException.Usage("unknown argument '" + args[i] + "'");
                }
            }
            if (config == null) {
                throw new ConfigException.Usage("--config FILE is required");
            }
            if (simPort != null && !simulate) {
                throw new ConfigException.Usage("--sim-port only makes sense with --simulate");
            }
            return new Args(config, simulate, simPort == null ? DEFAULT_SIM_PORT : simPort, firmwareDir);
        }

        private static String value(String[] args, int index, String option) throws ConfigException.Usage {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new ConfigException.Usage(option + " needs a value");
            }
            return args[index];
        }
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.err));
    }

    static int run(String[] argv, PrintStream err) {
        Args args;
        DeviceConfig config;
        try {
            args = Args.parse(argv);
        } catch (ConfigException.Usage e) {
            err.println("callbox-edge: " + e.getMessage() + "\n" + USAGE);
            return EXIT_USAGE;
        }
        try {
            config = DeviceConfigLoader.load(args.config());
        } catch (ConfigException e) {
            err.println("callbox-edge: " + args.config() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        int[] exit = {0};
        Runnable reboot = () -> {
            if (args.simulate()) {
                Logger.info("Reboot requested by the hub: ignored in simulation");
                return;
            }
            Logger.warn("Reboot requested by the hub: stopping with exit code {} for the service manager to restart",
                    EXIT_REBOOT);
            exit[0] = EXIT_REBOOT;
            stopped.countDown();
        };
        // a new firmware installed over the air: stop cleanly (siren off, deregistered) for the service manager to
        // start the wrapper again, which runs the new slot; in simulation too (tests run the wrapper in a restart loop)
        Runnable restartForFirmware = () -> {
            Logger.warn("New firmware installed: stopping with exit code {} for the service manager to restart",
                    EXIT_REBOOT);
            exit[0] = EXIT_REBOOT;
            stopped.countDown();
        };
        CallBox box;
        SimulatorApi api = null;
        GpioBoard board = args.simulate() ? GpioBoard.simulated() : GpioBoard.gpiod();
        try {
            box = CallBox.create(config, board, Clock.systemUTC(), CallBoxClient.Timing.DEFAULT, reboot,
                    args.firmwareDir(), restartForFirmware);
            if (args.simulate()) {
                api = SimulatorApi.start(box, args.simPort());
                Logger.info("Simulator control API on http://127.0.0.1:{}/state", api.port());
            }
        } catch (Exception e) {
            Logger.error(e, "Call box {} cannot start", config.endpoint());
            board.close();
            return 1;
        }
        SimulatorApi simulator = api;
        // SIGTERM: the hook wakes the main thread and holds the JVM until the box has shut down cleanly
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Logger.info("Call box {} at {} starting ({}), hub {}, firmware {}", config.endpoint(), config.place(),
                args.simulate() ? "simulated GPIO" : "GPIO via gpiod", config.hubUri(),
                box.firmware().runningVersion());
        box.start();
        // under systemd: READY=1 now (the box works without its hub), then WATCHDOG=1 while its threads and outbox do
        Optional<SystemdWatchdog> watchdog = SystemdWatchdog.fromEnvironment(System.getenv(),
                ProcessHandle.current().pid(), new SystemdNotify(),
                List.of(new ThreadHeartbeat(box.workers()), new WritableFolder(config.outboxDir())),
                new ExecutorScheduler("callbox-watchdog", Clock.systemUTC()));
        watchdog.ifPresent(w -> w.ready("call box " + config.endpoint() + " running"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Logger.info("Call box {} stopping: siren off, deregistering", config.endpoint());
        watchdog.ifPresent(SystemdWatchdog::close);
        if (simulator != null) {
            simulator.close();
        }
        box.close();
        closed.countDown();
        return exit[0];
    }
}
