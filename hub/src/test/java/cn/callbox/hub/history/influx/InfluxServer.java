package cn.callbox.hub.history.influx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's InfluxDB 1.6 ({@code influxd}, package {@code influxdb}) as a throw-away server for tests (STACK.md §6, §9):
 * a temporary config with reporting off, the HTTP and RPC addresses on free loopback ports, meta/data/wal dirs in a
 * temporary folder and the monitor store off. {@link #stop()} and {@link #start()} may be called again and again: the
 * data and the HTTP port survive, so a client sees "the same" InfluxDB go away and come back.
 */
final class InfluxServer implements AutoCloseable {

    static final Path INFLUXD = Path.of("/usr/bin/influxd");
    /** Set to {@code 1} to skip, rather than fail, the InfluxDB tests on a machine without InfluxDB. */
    static final String SKIP_ENV = "CALLBOX_SKIP_INFLUX";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Path config;
    private final int httpPort;
    private Process process;

    private InfluxServer(Path dir, Path config, int httpPort) {
        this.dir = dir;
        this.config = config;
        this.httpPort = httpPort;
    }

    /** Fails with a message naming the Debian package when influxd is missing, or skips when CALLBOX_SKIP_INFLUX=1. */
    static void requireInstalled() {
        if (Files.isExecutable(INFLUXD)) {
            return;
        }
        if ("1".equals(System.getenv(SKIP_ENV))) {
            Assumptions.abort("InfluxDB not installed and " + SKIP_ENV + "=1");
        }
        fail(INFLUXD + " is missing: install Debian's InfluxDB 1.6 (apt-get install -y influxdb influxdb-client), "
                + "or set " + SKIP_ENV + "=1 to skip the InfluxDB tests");
    }

    /** Writes a config into a new temporary folder and starts influxd; returns when {@code /ping} answers 204. */
    static InfluxServer start(Path dir) throws IOException, InterruptedException {
        requireInstalled();
        int http = freePort();
        int rpc = freePort();
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(config, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"

                [meta]
                  dir = "%s"

                [data]
                  dir = "%s"
                  wal-dir = "%s"
                  query-log-enabled = false

                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false

                [monitor]
                  store-enabled = false

                [continuous_queries]
                  enabled = false
                """.formatted(rpc, dir.resolve("meta"), dir.resolve("data"), dir.resolve("wal"), http));
        InfluxServer server = new InfluxServer(dir, config, http);
        server.start();
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts influxd (again) on the same config and data; returns when {@code /ping} answers 204. */
    synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(INFLUXD.toString(), "run", "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("influxd exited with " + process.exitValue() + "; log: "
                        + Files.readString(dir.resolve("influxd.log")));
            }
            if (pings()) {
                return;
            }
            Thread.onSpinWait();
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        stop();
        throw new IOException("influxd did not answer /ping within " + START_TIMEOUT + "; log: "
                + Files.readString(dir.resolve("influxd.log")));
    }

    /** Stops influxd (SIGTERM, then SIGKILL after 20 s) and waits until it is gone. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private boolean pings() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/ping").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 204;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
