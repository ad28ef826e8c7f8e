package cn.callbox.systemtest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hub jar as a process with the demo township, on free loopback ports, with its own data dir. A restarted hub
 * keeps its ports and data dir.
 */
final class HubProcess implements AutoCloseable {

    final int httpPort = FreePorts.tcp();
    final int lwm2mPort = FreePorts.udp();
    final int mqttPort = FreePorts.tcp();
    final Path dataDir;
    private final List<String> extraArgs;
    private JavaProcess process;
    private String adminPassword;

    HubProcess(Path dataDir, String... extraArgs) {
        this.dataDir = dataDir;
        this.extraArgs = List.of(extraArgs);
    }

    HubProcess start() {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=demo", "--server.port=" + httpPort,
                "--callbox.lwm2m.port=" + lwm2mPort, "--callbox.mqtt.port=" + mqttPort,
                "--callbox.data-dir=" + dataDir));
        args.addAll(extraArgs);
        deleteBoxConfigs();
        process = new JavaProcess("hub", Path.of(System.getProperty("callbox.hub.jar")),
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), args).start();
        try {
            Await.until("the hub answers GET /api/callboxes (log " + process.log() + ")", Duration.ofSeconds(120),
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the hub exited");
                        }
                        return Files.isRegularFile(dataDir.resolve("initial-admin-password"))
                                && api().get("/api/callboxes").status() == 200 && boxConfigs().size() >= 5;
                    });
        } catch (AssertionError e) {
            // CI keeps no files: the log's end goes into the report
            throw new AssertionError(e.getMessage() + "\nlast lines of the hub's log:\n" + tail(process.output()), e);
        }
        return this;
    }

    String adminPassword() {
        if (adminPassword == null) {
            try {
                String password = Files.readString(dataDir.resolve("initial-admin-password")).trim();
                if (password.isEmpty()) {
                    throw new IllegalStateException("the initial admin password file is empty");
                }
                adminPassword = password;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return adminPassword;
    }

    Http api() {
        return new Http("http://127.0.0.1:" + httpPort, "admin", adminPassword());
    }

    Http anonymousApi() {
        return new Http("http://127.0.0.1:" + httpPort, null, null);
    }

    /** The demo boxes' config files, sorted by endpoint. */
    List<Path> boxConfigs() {
        Path demo = dataDir.resolve("demo");
        if (!Files.isDirectory(demo)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(demo)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".properties"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode incidents() {
        return Json.parse(expectOk(api().get("/api/incidents")));
    }

    JsonNode incident(String id) {
        return Json.parse(expectOk(api().get("/api/incidents/" + id)));
    }

    JsonNode callBoxes() {
        return Json.parse(expectOk(api().get("/api/callboxes")));
    }

    JsonNode unit(String id) {
        return Json.parse(expectOk(api().get("/api/units/" + id)));
    }

    boolean isOnline(String endpoint) {
        for (JsonNode box : callBoxes()) {
            if (box.path("endpoint").asText().equals(endpoint)) {
                return box.path("online").asBoolean();
            }
        }
        return false;
    }

    /** The unit responsible for a demo box (its point's unit). */
    String unitOf(String endpoint) {
        for (JsonNode unit : Json.parse(expectOk(api().get("/api/units")))) {
            for (JsonNode box : unit(unit.path("id").asText()).path("callboxes")) {
                if (box.asText().equals(endpoint)) {
                    return unit.path("id").asText();
                }
            }
        }
        throw new AssertionError("no unit is responsible for " + endpoint);
    }

    /** A demo member's MQTT password, as the demo profile wrote it to the data dir. */
    String memberPassword(String memberId) {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("demo-member-credentials.properties"),
                StandardCharsets.UTF_8)) {
            credentials.load(reader);
        } catch (IOException e) {
            throw new AssertionError("demo member credentials missing", e);
        }
        String password = credentials.getProperty(memberId);
        if (password == null) {
            throw new AssertionError("no demo credential of " + memberId);
        }
        return password;
    }

    /** The log of the hub process running now (or last run): each start writes a new one. */
    String currentLog() {
        return process == null ? "" : process.output();
    }

    void stop() {
        if (process != null) {
            process.stop();
        }
    }

    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void deleteBoxConfigs() {
        for (Path config : boxConfigs()) {
            try {
                Files.deleteIfExists(config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String expectOk(Http.Response response) {
        if (response.status() != 200) {
            throw new AssertionError("HTTP " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }
}
