package cn.callbox.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import cn.callbox.hub.system.PortInUseException;
import cn.callbox.hub.system.StartupFailures;

/**
 * A port the hub needs, taken by another program (Mosquitto on 1883, a second hub): the hub refuses to start with
 * one line naming the port and the setting to change, and exit code 78, which the Debian unit does not restart,
 * instead of restarting in a loop. The MQTT case runs the real {@code main} in a child JVM, for its exit code.
 */
class HubPortInUseTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dataDir;

    /** Free ports everywhere, on loopback, but for the one {@code --key=value} given. */
    private List<String> hubArgs(String override) {
        List<String> args = new ArrayList<>();
        for (String arg : List.of("--callbox.data-dir=" + dataDir, "--server.port=0", "--callbox.lwm2m.port=0",
                "--callbox.lwm2m.address=127.0.0.1", "--callbox.mqtt.port=0",
                "--callbox.mqtt.bind-address=127.0.0.1")) {
            args.add(arg.startsWith(override.substring(0, override.indexOf('=') + 1)) ? override : arg);
        }
        return args;
    }

    @Test
    void the_embedded_broker_port_in_use_stops_the_hub_with_exit_code_78_and_one_clear_line() throws Exception {
        try (ServerSocket mosquitto = new ServerSocket(0, 50, LOOPBACK)) {
            int port = mosquitto.getLocalPort();
            Path log = dataDir.resolve("hub.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), HubApplication.class.getName()));
            command.addAll(hubArgs("--callbox.mqtt.port=" + port));
            Process hub = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(hub.waitFor(120, TimeUnit.SECONDS)).as("the hub gives up at once").isTrue();
            } finally {
                hub.destroyForcibly();
            }

            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(hub.exitValue()).as(output).isEqualTo(StartupFailures.PORT_IN_USE);
            assertThat(output.lines().filter(line -> line.contains("Hub not started: TCP port " + port
                    + " on 127.0.0.1 for the embedded MQTT broker is in use by another program: stop that program "
                    + "or set callbox.mqtt.port"))).hasSize(1);
        }
    }

    @Test
    void the_lwm2m_port_in_use_is_a_port_in_use_naming_its_setting() throws Exception {
        try (DatagramSocket otherHub = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = otherHub.getLocalPort();

            Optional<PortInUseException> taken = failedStart("--callbox.lwm2m.port=" + port);

            assertThat(taken).isPresent();
            assertThat(taken.get().port()).isEqualTo(port);
            assertThat(taken.get().property()).isEqualTo("callbox.lwm2m.port");
            assertThat(taken.get().getMessage()).startsWith("UDP port " + port + " on 127.0.0.1 for the LwM2M server "
                    + "is in use by another program");
        }
    }

    @Test
    void the_console_port_in_use_is_a_port_in_use_naming_server_port() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = other.getLocalPort();

            Optional<PortInUseException> taken = failedStart("--server.port=" + port);

            assertThat(taken).isPresent();
            assertThat(taken.get().port()).isEqualTo(port);
            assertThat(taken.get().property()).isEqualTo("server.port");
        }
    }

    /** Starts the hub in this JVM, which must fail; what {@link StartupFailures} makes of the failure. */
    private Optional<PortInUseException> failedStart(String override) throws IOException {
        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = SpringApplication.run(HubApplication.class,
                    hubArgs(override).toArray(String[]::new))) {
                context.getId();
            }
        });
        assertThat(failure).as("the hub must not start").isNotNull();
        return StartupFailures.portInUse(failure);
    }
}
