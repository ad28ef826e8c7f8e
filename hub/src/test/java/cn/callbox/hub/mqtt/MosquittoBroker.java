package cn.callbox.hub.mqtt;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Mosquitto 2 as a child process on a free loopback port, with a password file and an ACL file (STACK.md
 * §9). No pid_file: the broker drops root and could not write it; it is stopped by destroying the process. A missing
 * binary fails the test with a clear message, unless {@code CALLBOX_SKIP_MOSQUITTO=1}.
 */
final class MosquittoBroker implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Fails (or, with CALLBOX_SKIP_MOSQUITTO=1, skips) when Mosquitto is not installed. */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(PASSWD);
        if (!installed && "1".equals(System.getenv("CALLBOX_SKIP_MOSQUITTO"))) {
            Assumptions.abort("Mosquitto not installed and CALLBOX_SKIP_MOSQUITTO=1");
        }
        if (!installed) {
            fail(BINARY + " or " + PASSWD + " is missing: install Debian's Mosquitto "
                    + "(apt-get install -y mosquitto mosquitto-clients), or set CALLBOX_SKIP_MOSQUITTO=1 to skip");
        }
    }

    /**
     * @param users username to password
     * @param acl the ACL file's content
     */
    static MosquittoBroker start(Path dir, Map<String, String> users, String acl) throws Exception {
        requireInstalled();
        Files.createDirectories(dir);
        Path passwd = dir.resolve("passwd");
        boolean first = true;
        for (Map.Entry<String, String> user : users.entrySet()) {
            List<String> command = first
                    ? List.of(PASSWD.toString(), "-b", "-c", passwd.toString(), user.getKey(), user.getValue())
                    : List.of(PASSWD.toString(), "-b", passwd.toString(), user.getKey(), user.getValue());
            run(command);
            first = false;
        }
        Files.writeString(dir.resolve("acl"), acl, StandardCharsets.UTF_8);
        int port = EmbeddedBroker.freePort("127.0.0.1");
        StringBuilder conf = new StringBuilder()
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("allow_anonymous false\n")
                .append("password_file ").append(passwd).append('\n')
                .append("acl_file ").append(dir.resolve("acl")).append('\n')
                .append("persistence false\n")
                .append("log_dest stdout\n")
                .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // stay root so the broker can read the test's private temp folder
            conf.append("user root\n");
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf.toString(), StandardCharsets.UTF_8);
        MosquittoBroker broker = new MosquittoBroker(dir, port);
        broker.start();
        return broker;
    }

    /** Starts (again) on the same port. */
    void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mosquitto exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        fail("mosquitto did not listen on " + port + " within " + START_TIMEOUT + ": " + log());
    }

    /** Stops the broker process and waits for it to end. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command.subList(0, 2)) + " failed: " + out);
        }
    }
}
