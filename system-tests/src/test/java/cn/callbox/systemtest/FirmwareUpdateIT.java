package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Firmware over the air, from outside: release keys made and packages signed with {@code callbox-provision firmware},
 * uploaded to a real hub, rolled out over LwM2M object 5 to a box that runs as the Debian package runs it (the
 * wrapper script with its two slots, restarted on exit like systemd). A good package is installed and reported; a
 * package the box does not trust is refused by the box even though the hub took it; a firmware that never registers
 * is rolled back by the wrapper and reported as such; a firmware that registers and then crashes within its healthy
 * window is rolled back too, never confirmed, and the roll-out halts; a package nobody trusts never gets onto the hub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirmwareUpdateIT {

    private static final Duration ONLINE = Duration.ofSeconds(60);
    private static final Duration ROLLOUT = Duration.ofSeconds(150);
    /** The wrapper's deadline for a new firmware to register: short here, 5 minutes in the package. */
    private static final int TRIAL_SECONDS = 20;
    /** How long a new firmware must stay registered and heartbeating to be kept: short here, 10 minutes by default. */
    private static final int CONFIRM_AFTER_SECONDS = 30;
    /** When the crashing firmware dies after its start: registered by then, its healthy window not yet over. */
    private static final int CRASH_AFTER_SECONDS = 20;

    private Path work;
    private String releaseKey;
    private String otherKey;
    private HubProcess hub;
    private SupervisedBox box;

    @BeforeAll
    void start() throws IOException {
        work = Files.createTempDirectory("callbox-ota-");
        releaseKey = keygen("release");
        otherKey = keygen("other");
        hub = new HubProcess(Files.createDirectories(work.resolve("hub")), "--callbox.firmware.trusted-keys=" + releaseKey + "," + otherKey,
                "--callbox.firmware.tick=1s").start();
        Path bundles = Files.createDirectories(work.resolve("bundles"));
        ProvisionCli.Result created = ProvisionCli.run("box", "new", "--hub", hubUrl(), "--admin-password-file",
                passwordFile(), "--out", bundles.toString(), "--village", "后山村", "--point", "集市", "--lat",
                "30.60", "--lon", "108.30", "--outbox-dir", work.resolve("outbox").toString());
        assertEquals(0, created.exit(), created.toString());
        Path bundle = bundles.resolve(created.lastLine() + ".properties");
        Properties config = load(bundle);
        assertEquals(releaseKey + "," + otherKey, config.getProperty("firmware.trusted-keys"),
                "box new hands the hub's trusted firmware keys to the box");
        // this township's boxes trust only the release key (the hub also takes packages signed with the other)
        config.setProperty("firmware.trusted-keys", releaseKey);
        config.setProperty("firmware.confirm-after-seconds", String.valueOf(CONFIRM_AFTER_SECONDS));
        try (var out = Files.newBufferedWriter(bundle, StandardCharsets.UTF_8)) {
            config.store(out, null);
        }
        box = new SupervisedBox(bundle, work.resolve("firmware"), TRIAL_SECONDS).start();
        Await.until(box.endpoint + " online through the wrapper (log " + box.log() + ")", ONLINE,
                () -> hub.isOnline(box.endpoint));
    }

    @AfterAll
    void stop() {
        if (box != null) {
            box.close();
        }
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    @Order(1)
    void a_signed_package_is_installed_into_a_slot_and_the_box_reports_its_version() throws IOException {
        String firmware = upload(pack("release", Path.of(System.getProperty("callbox.edge.jar")), "0.2.0-ota"));

        JsonNode rollout = rollOutAndWait(firmware);

        assertEquals("completed", rollout.path("state").asText(), rollout.toPrettyString());
        JsonNode only = rollout.path("boxes").get(0);
        assertEquals("succeeded", only.path("state").asText(), only.toPrettyString());
        assertEquals(1, only.path("result").asInt(), only.toPrettyString());
        assertEquals("0.2.0-ota", reportedVersion());
        assertTrue(Files.isSymbolicLink(box.currentSlot()), "the box runs from a slot now");
        assertEquals("0.2.0-ota", load(box.currentSlot().resolve("manifest.properties")).getProperty("version"));
    }

    @Test
    @Order(2)
    void a_package_the_box_does_not_trust_is_refused_by_the_box_and_halts_the_rollout() throws IOException {
        Path slotBefore = Files.readSymbolicLink(box.currentSlot());
        String firmware = upload(pack("other", Path.of(System.getProperty("callbox.edge.jar")), "0.2.1-other"));

        JsonNode rollout = rollOutAndWait(firmware);

        assertEquals("halted", rollout.path("state").asText(), rollout.toPrettyString());
        JsonNode only = rollout.path("boxes").get(0);
        assertEquals("failed", only.path("state").asText(), only.toPrettyString());
        assertEquals(5, only.path("result").asInt(), "integrity check failure: " + only.toPrettyString());
        assertEquals("0.2.0-ota", reportedVersion());
        assertEquals(slotBefore, Files.readSymbolicLink(box.currentSlot()), "nothing was installed");
    }

    @Test
    @Order(3)
    void a_firmware_that_never_registers_is_rolled_back_by_the_box() throws IOException {
        String firmware = upload(pack("release", hangingFirmware(), "0.3.0-hang"));
        int startsBefore = box.starts();

        JsonNode rollout = rollOutAndWait(firmware);

        assertEquals("halted", rollout.path("state").asText(), rollout.toPrettyString());
        JsonNode only = rollout.path("boxes").get(0);
        assertEquals("rolled-back", only.path("state").asText(), only.toPrettyString());
        assertEquals(8, only.path("result").asInt(), only.toPrettyString());
        assertTrue(box.starts() >= startsBefore + 2, "the box restarted into the new firmware and back");
        assertTrue(box.output().contains("hanging firmware started"), "the new firmware did run");
        Await.until(box.endpoint + " back online", ONLINE, () -> hub.isOnline(box.endpoint));
        assertEquals("0.2.0-ota", reportedVersion());
        assertEquals("0.2.0-ota", load(box.currentSlot().resolve("manifest.properties")).getProperty("version"));
    }

    @Test
    @Order(4)
    void a_firmware_that_registers_and_then_crashes_is_rolled_back_and_the_rollout_reports_it() throws IOException {
        String firmware = upload(pack("release", crashingFirmware(), "0.3.1-crash"));
        List<String> seen = new ArrayList<>();

        JsonNode rollout = rollOutAndWait(firmware, seen);

        String output = box.output();
        int started = output.lastIndexOf("crashing firmware started");
        int crashed = output.lastIndexOf("crashing firmware crashes now");
        assertTrue(started >= 0 && crashed > started, "the new firmware ran and crashed (log " + box.log() + ")");
        assertTrue(output.substring(started, crashed).contains("Registered with the hub"),
                "it registered before it crashed (log " + box.log() + ")");
        assertTrue(seen.contains("confirming"), "the hub saw it on trial, not updated: " + seen);
        assertEquals("halted", rollout.path("state").asText(), rollout.toPrettyString());
        JsonNode only = rollout.path("boxes").get(0);
        assertEquals("rolled-back", only.path("state").asText(), only.toPrettyString());
        assertEquals(8, only.path("result").asInt(), only.toPrettyString());
        assertTrue(output.substring(crashed).contains("rolled back 0.3.1-crash: stopped with exit code 70 before it "
                + "was confirmed"), "the wrapper went back (log " + box.log() + ")");
        Await.until(box.endpoint + " back online", ONLINE, () -> hub.isOnline(box.endpoint));
        assertEquals("0.2.0-ota", reportedVersion());
        assertEquals("0.2.0-ota", load(box.currentSlot().resolve("manifest.properties")).getProperty("version"));
        assertTrue(!Files.exists(box.firmwareDir.resolve("trial")), "the trial is over");
    }

    @Test
    @Order(5)
    void the_hub_refuses_a_package_signed_by_a_key_it_does_not_trust() throws IOException {
        keygen("stranger");
        Path stranger = pack("stranger", Path.of(System.getProperty("callbox.edge.jar")), "0.4.0-stranger");
        ProvisionCli.Result refused = ProvisionCli.run("firmware", "upload", "--hub", hubUrl(),
                "--admin-password-file", passwordFile(), stranger.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(!HubProcess.expectOk(hub.api().get("/api/firmware")).contains("0.4.0-stranger"),
                "the refused package is not held");
    }

    private JsonNode rollOutAndWait(String firmware) {
        return rollOutAndWait(firmware, new ArrayList<>());
    }

    /** @param seen collects the box's roll-out states as they change */
    private JsonNode rollOutAndWait(String firmware, List<String> seen) {
        ProvisionCli.Result started = ProvisionCli.run("firmware", "rollout", "--hub", hubUrl(),
                "--admin-password-file", passwordFile(), "--firmware", firmware, "--endpoint", box.endpoint);
        assertEquals(0, started.exit(), started.toString());
        String id = started.lastLine();
        JsonNode[] last = new JsonNode[1];
        Await.until("roll-out " + id + " ends (box log " + box.log() + ")", ROLLOUT, () -> {
            last[0] = Json.parse(HubProcess.expectOk(hub.api().get("/api/firmware/rollouts/" + id)));
            String state = last[0].path("boxes").path(0).path("state").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
            return !"running".equals(last[0].path("state").asText());
        });
        return last[0];
    }

    private String reportedVersion() {
        String[] version = new String[1];
        Await.until(box.endpoint + " answers a device read", ONLINE, () -> {
            JsonNode detail = Json.parse(HubProcess.expectOk(hub.api().get("/api/callboxes/" + box.endpoint)));
            version[0] = detail.path("device").path("firmware").asText(null);
            return version[0] != null;
        });
        return version[0];
    }

    private String keygen(String name) {
        ProvisionCli.Result result = ProvisionCli.run("firmware", "keygen", "--out", work.resolve("keys").toString(),
                "--name", name);
        assertEquals(0, result.exit(), result.toString());
        return result.lastLine();
    }

    private Path pack(String key, Path jar, String version) {
        Path out = work.resolve(version + ".cbfw");
        ProvisionCli.Result result = ProvisionCli.run("firmware", "pack", "--key",
                work.resolve("keys").resolve(key + ".key").toString(), "--jar", jar.toString(), "--version", version,
                "--out", out.toString());
        assertEquals(0, result.exit(), result.toString());
        return out;
    }

    private String upload(Path firmwarePackage) {
        ProvisionCli.Result result = ProvisionCli.run("firmware", "upload", "--hub", hubUrl(),
                "--admin-password-file", passwordFile(), firmwarePackage.toString());
        assertEquals(0, result.exit(), result.toString());
        return result.lastLine();
    }

    /** A firmware that starts and runs but never registers with the hub. */
    private Path hangingFirmware() throws IOException {
        Path source = Files.createDirectories(work.resolve("hang-src")).resolve("Hang.java");
        Files.writeString(source, "public class Hang { public static void main(String[] args) throws Exception {"
                + " System.out.println(\"hanging firmware started\"); Thread.sleep(Long.MAX_VALUE); } }");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, compiler.run(null, null, null, "-d", source.getParent().toString(), source.toString()));
        Path jar = work.resolve("hang.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hang");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("Hang.class"));
            Files.copy(source.getParent().resolve("Hang.class"), (OutputStream) out);
            out.closeEntry();
        }
        return jar;
    }

    /**
     * The real firmware with another main class: it starts the box as usual and kills it (no shutdown hooks, as a
     * crash does) {@value #CRASH_AFTER_SECONDS} s later, after it registered and inside its healthy window.
     */
    private Path crashingFirmware() throws IOException {
        Path edgeJar = Path.of(System.getProperty("callbox.edge.jar"));
        Path source = Files.createDirectories(work.resolve("crash-src")).resolve("Crash.java");
        Files.writeString(source, "public class Crash { public static void main(String[] args) throws Exception {"
                + " System.out.println(\"crashing firmware started\");"
                + " Thread box = new Thread(() -> cn.callbox.device.CallBoxMain.main(args)); box.start();"
                + " Thread.sleep(" + CRASH_AFTER_SECONDS * 1000L + ");"
                + " System.out.println(\"crashing firmware crashes now\"); Runtime.getRuntime().halt(70); } }");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, compiler.run(null, null, null, "-cp", edgeJar.toString(), "-d", source.getParent().toString(),
                source.toString()));
        Path jar = work.resolve("crash.jar");
        try (JarFile edge = new JarFile(edgeJar.toFile())) {
            Manifest manifest = new Manifest(edge.getManifest());
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Crash");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                for (JarEntry entry : Collections.list(edge.entries())) {
                    String name = entry.getName();
                    // the new manifest is written by the stream; signatures would not match the new jar
                    if (name.equalsIgnoreCase("META-INF/") || name.equalsIgnoreCase("META-INF/MANIFEST.MF")
                            || name.matches("(?i)META-INF/[^/]+\\.(SF|RSA|DSA|EC)")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream in = edge.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("Crash.class"));
                Files.copy(source.getParent().resolve("Crash.class"), (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private String hubUrl() {
        return "http://127.0.0.1:" + hub.httpPort;
    }

    private String passwordFile() {
        return hub.dataDir.resolve("initial-admin-password").toString();
    }
}
