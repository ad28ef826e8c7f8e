package cn.callbox.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Debian's Mosquitto started on a free loopback port with a password file and an ACL: the external-broker case. */
final class MosquittoBroker implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    final int port = FreePorts.tcp();
    private final Path dir;
    private Process process;

    /**
     * @param users user name → password
     * @param acl the ACL file's text
     */
    MosquittoBroker(Path dir, Map<String, String> users, String acl) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " missing: ./run-tests installs the Debian package mosquitto");
        }
        this.dir = dir;
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, "");
        for (Map.Entry<String, String> user : users.entrySet()) {
            Process add = new ProcessBuilder("mosquitto_passwd", "-b", passwords.toString(), user.getKey(),
                    user.getValue()).redirectErrorStream(true).start();
            if (!add.waitFor(10, TimeUnit.SECONDS) || add.exitValue() != 0) {
                throw new AssertionError("mosquitto_passwd failed: " + new String(add.getInputStream().readAllBytes()));
            }
        }
        Files.writeString(dir.resolve("acl"), acl);
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "persistence false",
                "password_file " + passwords,
                "acl_file " + dir.resolve("acl"),
                "log_dest stdout",
                // as root the broker would switch to the mosquitto user, who cannot read a private temp folder
                "root".equals(System.getProperty("user.name")) ? "user root" : "", ""));
    }

    MosquittoBroker start() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("mosquitto listens on " + port, Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto exited: " + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
