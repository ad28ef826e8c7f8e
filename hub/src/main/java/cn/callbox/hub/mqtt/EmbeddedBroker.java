package cn.callbox.hub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;

import cn.callbox.hub.system.PortInUseException;

/**
 * The hub's embedded MQTT broker (HiveMQ CE): MQTT 3.1.1 and 5 on one loopback TCP listener, in-memory persistence,
 * statistics off, and {@link BrokerSecurity} always registered. Files live under {@code <dataDir>/mqtt/}:
 * {@code conf/config.xml} (rewritten before every start, since a missing or invalid file makes HiveMQ fall back to
 * 0.0.0.0:1883), {@code data/} and an empty {@code extensions/}.
 * <p>
 * HiveMQ installs a JVM-wide default uncaught-exception handler that calls {@code System.exit(1)} on its own fatal
 * errors, unconditionally, even when embedded. {@link #start} puts the previous handler back once the broker runs,
 * so a stray exception elsewhere in the hub never ends the process; HiveMQ's own threads keep their per-thread
 * handlers, which only log.
 * <p>
 * Not thread-safe: start and close from one thread (the Spring context does).
 */
final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 30;
    /** Outgoing QoS 1 messages a client may have in flight; HiveMQ's default of 10 makes bursts fail in Paho. */
    static final int SERVER_RECEIVE_MAXIMUM = 200;
    /** Messages queued per offline member session before the oldest are dropped (alerts age: newest matter). */
    static final int MAX_QUEUED_MESSAGES = 1000;

    private final EmbeddedHiveMQ hiveMq;
    private final String host;
    private final int port;

    private EmbeddedBroker(EmbeddedHiveMQ hiveMq, String host, int port) {
        this.hiveMq = hiveMq;
        this.host = host;
        this.port = port;
    }

    /**
     * Writes the configuration and starts the broker; returns once it accepts connections.
     *
     * @param mqttDir {@code <dataDir>/mqtt}, created if missing
     * @param bindAddress address of the TCP listener
     * @param port TCP port; 0 picks a free one (see {@link #port()})
     * @param security the security extension; registered before any client can connect
     * @throws PortInUseException when another program listens on the port (e.g. Mosquitto on 1883)
     * @throws IllegalStateException when the broker does not start for another reason (bad folder...)
     */
    static EmbeddedBroker start(Path mqttDir, String bindAddress, int port, BrokerSecurity security) {
        int actualPort = port == 0 ? freePort(bindAddress) : port;
        // HiveMQ only logs a listener it cannot bind and runs on without it: find out first, and say so plainly
        requireFree(bindAddress, actualPort);
        Path conf = mqttDir.resolve("conf");
        Path data = mqttDir.resolve("data");
        Path extensions = mqttDir.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(bindAddress, actualPort), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the MQTT broker folder " + mqttDir, e);
        }
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("callbox-security")
                .withName("Call-box broker security")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(security)
                .build();
        EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        try {
            hiveMq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hiveMq, false);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hiveMq, false);
            throw new IllegalStateException(
                    "the embedded MQTT broker did not start on " + bindAddress + ":" + actualPort, e);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        if (!"0.0.0.0".equals(bindAddress) && !"::".equals(bindAddress)) {
            host = bindAddress;
        }
        return new EmbeddedBroker(hiveMq, host, actualPort);
    }

    /** The port the listener is bound to (the picked one when 0 was asked for). */
    int port() {
        return port;
    }

    /** An address the hub's own client can reach the listener at. */
    String host() {
        return host;
    }

    /** {@code tcp://host:port} for the hub's own client. */
    String serverUri() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Stops the broker (takes a few seconds: netty's quiet periods). Idempotent; never throws. */
    @Override
    public void close() {
        closeQuietly(hiveMq, true);
    }

    /** @param started false after a failed start, when HiveMQ has already stopped itself and stop() complains */
    private static void closeQuietly(EmbeddedHiveMQ hiveMq, boolean started) {
        try {
            hiveMq.stop().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (started) {
                LOG.warn("The embedded MQTT broker did not stop cleanly", e);
            } else {
                LOG.debug("Stopping the embedded MQTT broker after a failed start", e);
            }
        }
        try {
            hiveMq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.debug("Closing the embedded MQTT broker", e);
        }
    }

    /** @throws PortInUseException when something listens on {@code bindAddress:port} already */
    static void requireFree(String bindAddress, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // as the broker binds: a port left in TIME_WAIT by the last run is free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        } catch (BindException e) {
            throw new PortInUseException("the embedded MQTT broker", "TCP", bindAddress, port, "callbox.mqtt.port "
                    + "(or callbox.mqtt.url to use that broker)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the MQTT port " + bindAddress + ":" + port, e);
        }
    }

    /**
     * HiveMQ's listener cannot report a port it picked itself, so pick one here. Another process could take it before
     * the broker binds; the start then fails loudly rather than silently using another port.
     */
    static int freePort(String bindAddress) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
        }
    }

    static String configXml(String bindAddress, int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by the call-box hub at every start; edits here are overwritten. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard-oldest</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, xmlEscape(bindAddress), MAX_QUEUED_MESSAGES, SERVER_RECEIVE_MAXIMUM);
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
