package cn.callbox.systemtest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated call box started as the Debian package starts it: through the wrapper script
 * ({@code edge-device/src/deb/bin/callbox-edge}, which picks the firmware slot and rolls a trial back), restarted
 * whenever it exits, like systemd's {@code Restart=always}. Firmware slots live in a temp folder.
 */
final class SupervisedBox implements AutoCloseable {

    final String endpoint;
    final Path firmwareDir;
    final int simPort = FreePorts.tcp();
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile boolean running;
    private volatile Process process;
    private Thread supervisor;

    /**
     * @param trialSeconds the wrapper's deadline for a new firmware to register ({@code CALLBOX_TRIAL_SECONDS})
     */
    SupervisedBox(Path bundle, Path firmwareDir, int trialSeconds) throws IOException {
        String file = bundle.getFileName().toString();
        this.endpoint = file.substring(0, file.length() - ".properties".length());
        this.firmwareDir = firmwareDir;
        Path wrapper = Path.of(System.getProperty("callbox.edge.wrapper"));
        this.command = List.of("sh", wrapper.toString(), "--simulate", "--sim-port", String.valueOf(simPort));
        this.environment = Map.of(
                "CALLBOX_CONFIG", bundle.toString(),
                "CALLBOX_FIRMWARE_DIR", firmwareDir.toString(),
                "CALLBOX_FACTORY_JAR", System.getProperty("callbox.edge.jar"),
                "CALLBOX_TRIAL_SECONDS", String.valueOf(trialSeconds),
                "CALLBOX_TRIAL_STARTS", "3",
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "CALLBOX_EDGE_JAVA_OPTS", "-Xmx96m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Path logs = Path.of(System.getProperty("callbox.logs", "target/e2e-logs"));
        Files.createDirectories(logs);
        this.log = logs.resolve("supervised-" + endpoint + "-" + System.currentTimeMillis() + ".log");
    }

    SupervisedBox start() {
        running = true;
        supervisor = new Thread(this::superviseForever, "supervisor-" + endpoint);
        supervisor.setDaemon(true);
        supervisor.start();
        return this;
    }

    private void superviseForever() {
        while (running) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().putAll(environment);
                starts.incrementAndGet();
                process = builder.start();
                int exit = process.waitFor();
                Files.writeString(log, "=== supervisor: exited with " + exit + "\n",
                        java.nio.file.StandardOpenOption.APPEND);
                Thread.sleep(1000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How often the supervisor has started the wrapper. */
    int starts() {
        return starts.get();
    }

    Path currentSlot() {
        return firmwareDir.resolve("current");
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    File log() {
        return log.toFile();
    }

    @Override
    public void close() {
        running = false;
        if (supervisor != null) {
            supervisor.interrupt();
        }
        Process current = process;
        if (current != null) {
            // the wrapper's trial deadline is a child of the JVM: stop the whole tree
            current.descendants().forEach(ProcessHandle::destroy);
            current.destroy();
            try {
                if (!current.waitFor(15, TimeUnit.SECONDS)) {
                    current.descendants().forEach(ProcessHandle::destroyForcibly);
                    current.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
