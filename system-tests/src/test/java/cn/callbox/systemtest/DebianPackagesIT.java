package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian packages {@code ./mvnw package} builds next to the jars (docs/packaging.md): what they install, with
 * which owners and modes; their control fields; maintainer scripts that parse, and that do the right thing when run
 * against a scratch folder with the system commands replaced by recording stubs (this machine's users, dpkg database
 * and systemd are never touched); systemd units that {@code systemd-analyze verify} accepts; the very jars the build
 * made.
 */
class DebianPackagesIT {

    private static final Path EDGE_JAR = Path.of(System.getProperty("callbox.edge.jar",
            "../edge-device/target/callbox-edge.jar"));
    private static final Path HUB_JAR = Path.of(System.getProperty("callbox.hub.jar",
            "../hub/target/callbox-hub.jar"));
    private static final Path PROVISION_JAR = Path.of(System.getProperty("callbox.provision.jar",
            "../provisioning/target/callbox-provision.jar"));

    @TempDir
    Path dir;

    // ---- contents

    @Test
    void the_edge_package_installs_the_firmware_its_unit_and_its_folders() {
        Map<String, String> files = contents(deb(EDGE_JAR, "callbox-edge"));

        assertEquals("-rw-r--r-- root/root", files.get("/usr/share/callbox-edge/callbox-edge.jar"));
        assertEquals("-rwxr-xr-x root/root", files.get("/usr/bin/callbox-edge"));
        assertEquals("-rw-r--r-- root/root", files.get("/lib/systemd/system/callbox-edge.service"));
        assertEquals("drwxr-xr-x root/root", files.get("/etc/callbox/"));
        assertEquals("-rw-r--r-- root/root", files.get("/etc/callbox/callbox.properties.example"));
        // the outbox: 700 here, handed to the callbox user by the postinst
        assertEquals("drwx------ root/root", files.get("/var/lib/callbox/"));
        assertFalse(files.containsKey("/etc/callbox/callbox.properties"),
                "the provisioning bundle with the box's key is never shipped: " + files.keySet());
    }

    @Test
    void the_hub_package_installs_the_hub_its_unit_and_its_folders() {
        Map<String, String> files = contents(deb(HUB_JAR, "callbox-hub"));

        assertEquals("-rw-r--r-- root/root", files.get("/usr/share/callbox-hub/callbox-hub.jar"));
        assertEquals("-rwxr-xr-x root/root", files.get("/usr/bin/callbox-hub"));
        assertEquals("-rw-r--r-- root/root", files.get("/lib/systemd/system/callbox-hub.service"));
        assertEquals("-rw-r----- root/root", files.get("/etc/callbox-hub/application.properties"));
        assertEquals("drwx------ root/root", files.get("/var/lib/callbox-hub/"));
        assertFalse(files.containsKey("/etc/callbox-hub/environment"), "secrets are the installer's, never shipped");
    }

    @Test
    void the_provisioning_package_installs_the_command_line_for_a_workstation() throws IOException {
        Path deb = deb(PROVISION_JAR, "callbox-provision");
        Map<String, String> files = contents(deb);
        assertEquals("-rw-r--r-- root/root", files.get("/usr/share/callbox-provision/callbox-provision.jar"));
        assertEquals("-rwxr-xr-x root/root", files.get("/usr/bin/callbox-provision"));
        assertEquals("-rw-r--r-- root/root", files.get("/usr/share/doc/callbox-provision/firmware.md"));
        assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("/lib/systemd") || f.startsWith("/etc")),
                "a command line: no service, no settings: " + files.keySet());
        Map<String, String> fields = fields(deb);
        assertEquals("callbox-provision", fields.get("Package"));
        assertEquals("all", fields.get("Architecture"));
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless", fields.get("Depends"));
        assertTrue(fields.get("Description").codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF),
                "a zh-CN line: " + fields.get("Description"));

        Path root = extract(deb);
        assertSameFile(PROVISION_JAR, root.resolve("usr/share/callbox-provision/callbox-provision.jar"));
        // the wrapper runs the packaged jar with every argument, through whatever java is on the PATH
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        Result started = run(List.of("sh", root.resolve("usr/bin/callbox-provision").toString(), "box", "list",
                "--hub", "http://hub:8080"), Map.of("PATH", bin + ":/usr/bin:/bin", "CALLBOX_PROVISION_JAVA_OPTS",
                        "-Xmx64m"));
        assertEquals(List.of("-Xmx64m", "-jar", "/usr/share/callbox-provision/callbox-provision.jar", "box", "list",
                "--hub", "http://hub:8080"), started.output().lines().toList(), started.output());
        if (run(List.of("sh", "-c", "command -v shellcheck")).exit() == 0) {
            Result checked = run(List.of("shellcheck", "-s", "sh", root.resolve("usr/bin/callbox-provision")
                    .toString()));
            assertEquals(0, checked.exit(), checked.output());
        }
    }

    @Test
    void the_packaged_jars_are_the_built_jars() throws IOException {
        assertSameFile(EDGE_JAR,
                extract(deb(EDGE_JAR, "callbox-edge")).resolve("usr/share/callbox-edge/callbox-edge.jar"));
        assertSameFile(HUB_JAR,
                extract(deb(HUB_JAR, "callbox-hub")).resolve("usr/share/callbox-hub/callbox-hub.jar"));
    }

    @Test
    void the_wrappers_run_the_packaged_jar_with_the_packaged_config() throws IOException {
        Path edge = extract(deb(EDGE_JAR, "callbox-edge"));
        String wrapper = Files.readString(edge.resolve("usr/bin/callbox-edge"));
        assertTrue(wrapper.startsWith("#!/bin/sh\n"), wrapper);
        // run with a stand-in java: the packaged jar and config by default (no firmware slot yet), options split
        Path fakeJava = Files.createTempFile("fake-java-", ".sh");
        Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        Path firmwareDir = Files.createTempDirectory("callbox-firmware-");
        Result started = run(List.of("sh", edge.resolve("usr/bin/callbox-edge").toString(), "--simulate"),
                Map.of("JAVA", fakeJava.toString(), "CALLBOX_FIRMWARE_DIR", firmwareDir.toString(),
                        "CALLBOX_EDGE_JAVA_OPTS", "-Xss512k -XX:+ExitOnOutOfMemoryError"));
        assertEquals(List.of("-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-jar",
                "/usr/share/callbox-edge/callbox-edge.jar", "--config", "/etc/callbox/callbox.properties",
                "--firmware-dir", firmwareDir.toString(), "--simulate"), started.output().lines().toList(),
                started.output());
        assertEquals(0, run(List.of("sh", "-n", edge.resolve("usr/bin/callbox-edge").toString())).exit());
        if (run(List.of("sh", "-c", "command -v shellcheck")).exit() == 0) {
            for (Path script : List.of(edge.resolve("usr/bin/callbox-edge"), extract(deb(HUB_JAR, "callbox-hub"))
                    .resolve("usr/bin/callbox-hub"))) {
                Result checked = run(List.of("shellcheck", "-s", "sh", script.toString()));
                assertEquals(0, checked.exit(), script + ": " + checked.output());
            }
        }

        Path hub = extract(deb(HUB_JAR, "callbox-hub"));
        String hubWrapper = Files.readString(hub.resolve("usr/bin/callbox-hub"));
        assertTrue(hubWrapper.contains("exec java $CALLBOX_HUB_JAVA_OPTS -jar /usr/share/callbox-hub/callbox-hub.jar"),
                hubWrapper);
        String settings = Files.readString(hub.resolve("etc/callbox-hub/application.properties"));
        assertTrue(settings.lines().anyMatch("callbox.data-dir=/var/lib/callbox-hub"::equals), settings);
        assertFalse(settings.lines().anyMatch(line -> !line.startsWith("#") && line.toLowerCase().contains("password")),
                "no passwords in the shipped settings: " + settings);
        // the example config is one the edge can load once a key is filled in, with its outbox where it may write
        String example = Files.readString(edge.resolve("etc/callbox/callbox.properties.example"));
        assertTrue(example.lines().anyMatch("outbox.dir=/var/lib/callbox/outbox"::equals), example);
        assertTrue(example.lines().anyMatch("psk.key="::equals), "no usable key in the example: " + example);
    }

    // ---- control

    @Test
    void the_control_fields_describe_the_packages() {
        Path edge = deb(EDGE_JAR, "callbox-edge");
        String version = edge.getFileName().toString().replaceAll("^callbox-edge_(.*)_all\\.deb$", "$1");
        Map<String, String> fields = fields(edge);
        assertEquals("callbox-edge", fields.get("Package"));
        assertEquals(version, fields.get("Version"));
        assertEquals("all", fields.get("Architecture"));
        // 2:1.17 is Debian's version of default-jre-headless for Java 17 (a bare ">= 17" would accept Java 11)
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser", fields.get("Depends"));
        assertEquals("espeak-ng, alsa-utils", fields.get("Recommends"));
        assertEquals("optional", fields.get("Priority"));
        assertFalse(fields.get("Section").isBlank());
        assertTrue(fields.get("Maintainer").matches(".+ <.+@.+>"), fields.get("Maintainer"));
        assertTrue(fields.get("Description").contains("call box"), fields.get("Description"));
        assertTrue(fields.get("Description").codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF),
                "a zh-CN line: " + fields.get("Description"));

        Map<String, String> hub = fields(deb(HUB_JAR, "callbox-hub"));
        assertEquals("callbox-hub", hub.get("Package"));
        assertEquals("all", hub.get("Architecture"));
        assertTrue(hub.get("Depends").startsWith("default-jre-headless (>= 2:1.17) | java17-runtime-headless"),
                hub.get("Depends"));
        // Mosquitto installed by default takes 1883 before the hub's own broker: suggested, never pulled in
        assertEquals("postgresql", hub.get("Recommends"));
        assertEquals("mosquitto", hub.get("Suggests"));
    }

    @Test
    void settings_in_etc_are_conffiles() throws IOException {
        assertEquals(List.of("/etc/callbox/callbox.properties.example"),
                Files.readAllLines(control(deb(EDGE_JAR, "callbox-edge")).resolve("conffiles")));
        assertEquals(List.of("/etc/callbox-hub/application.properties"),
                Files.readAllLines(control(deb(HUB_JAR, "callbox-hub")).resolve("conffiles")));
    }

    @Test
    void maintainer_scripts_are_posix_sh_that_parses() throws IOException {
        boolean shellcheck = run(List.of("sh", "-c", "command -v shellcheck")).exit() == 0;
        for (Path control : List.of(control(deb(EDGE_JAR, "callbox-edge")), control(deb(HUB_JAR, "callbox-hub")))) {
            for (String name : List.of("postinst", "prerm", "postrm")) {
                Path script = control.resolve(name);
                assertTrue(Files.isExecutable(script), script + " is executable");
                String text = Files.readString(script);
                assertTrue(text.startsWith("#!/bin/sh\n"), script + ": " + text.lines().findFirst().orElse(""));
                assertTrue(text.lines().anyMatch("set -e"::equals), script + " stops at the first error");
                Result parsed = run(List.of("sh", "-n", script.toString()));
                assertEquals(0, parsed.exit(), script + ": " + parsed.output());
                if (shellcheck) {
                    Result checked = run(List.of("shellcheck", "-s", "sh", script.toString()));
                    assertEquals(0, checked.exit(), script + ": " + checked.output());
                }
            }
        }
    }

    // ---- maintainer scripts, run

    @Test
    void the_edge_postinst_makes_the_user_and_enables_but_does_not_start_an_unprovisioned_box() throws IOException {
        Sandbox box = new Sandbox(control(deb(EDGE_JAR, "callbox-edge")));

        Result first = box.run("postinst", "configure");

        assertEquals(0, first.exit(), first.output());
        List<String> calls = box.calls();
        assertTrue(calls.contains("addgroup --system gpio"), "the gpio group, missing on plain Debian: " + calls);
        assertTrue(calls.contains("adduser --system --group --home " + box.root + "/var/lib/callbox --no-create-home "
                + "--shell /usr/sbin/nologin --gecos Call box firmware callbox"), calls.toString());
        assertTrue(calls.contains("adduser --quiet callbox gpio"), calls.toString());
        assertTrue(calls.contains("adduser --quiet callbox audio"), calls.toString());
        assertTrue(calls.contains("chown callbox:callbox " + box.root + "/var/lib/callbox"), calls.toString());
        assertEquals("rwx------", box.mode("var/lib/callbox"));
        assertTrue(calls.contains("deb-systemd-helper enable callbox-edge.service"), calls.toString());
        assertTrue(calls.contains("systemctl --system daemon-reload"), calls.toString());
        assertFalse(calls.stream().anyMatch(c -> c.contains("restart") || c.contains("start callbox")),
                "not started without a config: " + calls);
        assertTrue(first.output().contains("no " + box.root + "/etc/callbox/callbox.properties yet"), first.output());

        // idempotent: a second configure (reinstall) makes no second user or group
        box.forgetCalls();
        Result second = box.run("postinst", "configure", "0.1.0");
        assertEquals(0, second.exit(), second.output());
        assertFalse(box.calls().stream().anyMatch(c -> c.startsWith("adduser --system") || c.startsWith("addgroup")),
                box.calls().toString());
    }

    @Test
    void the_edge_postinst_locks_down_and_starts_a_provisioned_box() throws IOException {
        Sandbox box = new Sandbox(control(deb(EDGE_JAR, "callbox-edge")));
        box.existingGroups("gpio", "audio");
        Path config = box.root.resolve("etc/callbox/callbox.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "psk.key=00112233445566778899aabbccddeeff\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Result result = box.run("postinst", "configure");

        assertEquals(0, result.exit(), result.output());
        List<String> calls = box.calls();
        assertFalse(calls.contains("addgroup --system gpio"), "Raspberry Pi OS already has gpio: " + calls);
        assertTrue(calls.contains("chown callbox:callbox " + config), calls.toString());
        assertEquals("rw-------", box.mode("etc/callbox/callbox.properties"));
        assertTrue(calls.contains("deb-systemd-invoke restart callbox-edge.service"), calls.toString());
        assertFalse(result.output().contains("not started"), result.output());
    }

    @Test
    void an_upgrade_by_hand_sets_firmware_installed_over_the_air_aside() throws IOException {
        Sandbox box = new Sandbox(control(deb(EDGE_JAR, "callbox-edge")));
        box.existingGroups("gpio", "audio");
        Path firmware = Files.createDirectories(box.root.resolve("var/lib/callbox/firmware/b"));
        Files.writeString(firmware.resolve("callbox-edge.jar"), "over the air");
        Path current = Files.createSymbolicLink(firmware.resolveSibling("current"), Path.of("b"));
        Files.writeString(firmware.resolveSibling("trial"), "slot=b\nprevious=factory\nversion=0.2.0\n");

        Result first = box.run("postinst", "configure");
        assertEquals(0, first.exit(), first.output());
        assertTrue(Files.isSymbolicLink(current), "a first install leaves the slots alone");

        Result upgrade = box.run("postinst", "configure", "0.1.0");
        assertEquals(0, upgrade.exit(), upgrade.output());
        assertFalse(Files.exists(current, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the package's jar runs again");
        assertFalse(Files.exists(firmware.resolveSibling("trial")), "no trial left to roll back");
        assertTrue(Files.exists(firmware.resolve("callbox-edge.jar")), "the slot itself stays");
        assertTrue(upgrade.output().contains("set aside"), upgrade.output());
    }

    @Test
    void the_edge_prerm_stops_on_removal_and_postrm_deletes_data_only_on_purge() throws IOException {
        Sandbox box = new Sandbox(control(deb(EDGE_JAR, "callbox-edge")));
        Path outbox = box.root.resolve("var/lib/callbox/outbox/00000001.rec");
        Files.createDirectories(outbox.getParent());
        Files.writeString(outbox, "alarm");

        assertEquals(0, box.run("prerm", "upgrade", "0.2.0").exit());
        assertFalse(box.calls().contains("deb-systemd-invoke stop callbox-edge.service"),
                "an upgrade restarts the firmware in the postinst instead: " + box.calls());
        assertEquals(0, box.run("prerm", "remove").exit());
        assertTrue(box.calls().contains("deb-systemd-invoke stop callbox-edge.service"), box.calls().toString());

        assertEquals(0, box.run("postrm", "remove").exit());
        assertTrue(Files.exists(outbox), "remove keeps the outbox");
        assertEquals(0, box.run("postrm", "purge").exit());
        assertFalse(Files.exists(box.root.resolve("var/lib/callbox")), "purge deletes the outbox");
        assertTrue(box.calls().contains("deb-systemd-helper purge callbox-edge.service"), box.calls().toString());
    }

    @Test
    void the_hub_postinst_makes_its_user_and_a_private_data_folder_twice_over() throws IOException {
        Sandbox hub = new Sandbox(control(deb(HUB_JAR, "callbox-hub")));
        Files.createDirectories(hub.root.resolve("etc/callbox-hub"));
        Files.writeString(hub.root.resolve("etc/callbox-hub/environment"), "CALLBOX_ADMIN_PASSWORD=x\n");

        Result first = hub.run("postinst", "configure");

        assertEquals(0, first.exit(), first.output());
        List<String> calls = hub.calls();
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("adduser --system --group --home " + hub.root
                + "/var/lib/callbox-hub ") && c.endsWith(" callbox-hub")), calls.toString());
        assertEquals("rwx------", hub.mode("var/lib/callbox-hub"));
        assertEquals("rw-------", hub.mode("etc/callbox-hub/environment"));
        assertTrue(calls.contains("deb-systemd-helper enable callbox-hub.service"), calls.toString());
        assertTrue(first.output().contains("initial-admin-password"), first.output());

        // a self-signed certificate for HTTPS, made once with this machine's addresses; the key for the hub only
        Path tls = hub.root.resolve("etc/callbox-hub/tls");
        assertEquals("rw-r-----", hub.mode("etc/callbox-hub/tls/hub.key"));
        assertEquals("rw-r--r--", hub.mode("etc/callbox-hub/tls/hub.crt"));
        assertTrue(calls.contains("chown root:callbox-hub " + tls.resolve("hub.key") + " " + tls.resolve("hub.crt")),
                calls.toString());
        byte[] certificate = Files.readAllBytes(tls.resolve("hub.crt"));
        assertTrue(subjectAlternativeNames(certificate).containsAll(List.of("localhost", "127.0.0.1")),
                subjectAlternativeNames(certificate).toString());

        hub.forgetCalls();
        assertEquals(0, hub.run("postinst", "configure", "0.1.0").exit());
        assertFalse(hub.calls().stream().anyMatch(c -> c.startsWith("adduser --system")), hub.calls().toString());
        assertArrayEquals(certificate, Files.readAllBytes(tls.resolve("hub.crt")), "the certificate is made once");

        assertEquals(0, hub.run("postrm", "purge").exit());
        assertFalse(Files.exists(tls), "purge removes the certificate the postinst made");
    }

    private static List<String> subjectAlternativeNames(byte[] pem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            return certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1)))
                    .toList();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    // ---- systemd units

    @Test
    void the_edge_unit_is_a_watched_notify_service_with_gpio_left_reachable() throws IOException {
        Map<String, List<String>> unit = unit(extract(deb(EDGE_JAR, "callbox-edge"))
                .resolve("lib/systemd/system/callbox-edge.service"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Type", "notify");
        expected.put("NotifyAccess", "all");
        expected.put("WatchdogSec", "60");
        expected.put("Restart", "always");
        expected.put("RestartSec", "5");
        expected.put("User", "callbox");
        expected.put("SupplementaryGroups", "gpio audio");
        expected.put("ExecStart", "/usr/bin/callbox-edge");
        expected.put("NoNewPrivileges", "yes");
        expected.put("ProtectSystem", "strict");
        expected.put("ReadWritePaths", "/var/lib/callbox");
        expected.put("ProtectHome", "yes");
        expected.put("PrivateTmp", "yes");
        expected.forEach((key, value) -> assertEquals(List.of(value), unit.get(key), key));
        // these would hide /dev/gpiochip* and /dev/snd from the firmware
        assertFalse(unit.containsKey("PrivateDevices"), unit.toString());
        assertFalse(unit.containsKey("DevicePolicy"), unit.toString());
    }

    @Test
    void the_hub_unit_reads_etc_and_writes_only_its_data_folder() throws IOException {
        Map<String, List<String>> unit = unit(extract(deb(HUB_JAR, "callbox-hub"))
                .resolve("lib/systemd/system/callbox-hub.service"));
        assertEquals(List.of("callbox-hub"), unit.get("User"));
        assertEquals(List.of("on-failure"), unit.get("Restart"));
        // a port in use is exit code 78 (StartupFailures): stop, do not loop; other failures stop after 10 in 10 min
        assertEquals(List.of("78"), unit.get("RestartPreventExitStatus"));
        assertEquals(List.of("600"), unit.get("StartLimitIntervalSec"));
        assertEquals(List.of("10"), unit.get("StartLimitBurst"));
        assertEquals(List.of("-/etc/callbox-hub/environment"), unit.get("EnvironmentFile"));
        assertEquals(List.of("/usr/bin/callbox-hub --spring.config.additional-location=/etc/callbox-hub/"),
                unit.get("ExecStart"));
        assertEquals(List.of("/var/lib/callbox-hub"), unit.get("ReadWritePaths"));
        assertEquals(List.of("strict"), unit.get("ProtectSystem"));
    }

    @Test
    void systemd_analyze_verify_accepts_both_units() throws IOException {
        assumeTrue(run(List.of("sh", "-c", "command -v systemd-analyze")).exit() == 0, "no systemd-analyze here");
        for (Path deb : List.of(deb(EDGE_JAR, "callbox-edge"), deb(HUB_JAR, "callbox-hub"))) {
            String name = deb.getFileName().toString().replaceAll("_.*", "");
            Path root = extract(deb);
            // verify wants ExecStart to exist: point it at the wrapper unpacked from the package
            Path unit = Files.createDirectories(dir.resolve("units-" + name)).resolve(name + ".service");
            Files.writeString(unit, Files.readString(root.resolve("lib/systemd/system/" + name + ".service"))
                    .replace("ExecStart=/usr/bin/", "ExecStart=" + root + "/usr/bin/"));

            Result verified = run(List.of("systemd-analyze", "verify", unit.toString()));

            assertEquals(0, verified.exit(), verified.output());
            assertFalse(verified.output().contains(name + ".service"), "no warning about the unit: "
                    + verified.output());
        }
    }

    // ---- helpers

    /** The {@code <name>_<version>_all.deb} beside the built jar (the newest, should an older version be left). */
    private static Path deb(Path jar, String name) {
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build with ./mvnw package first");
        try (Stream<Path> files = Files.list(jar.toAbsolutePath().getParent())) {
            return files.filter(f -> f.getFileName().toString().matches(name + "_[^_]+_all\\.deb"))
                    .max(Comparator.comparing(DebianPackagesIT::modified))
                    .orElseThrow(() -> new AssertionError("no " + name + "_*_all.deb next to " + jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dpkg-deb -c}: path (absolute; folders end in /) to "mode owner/group". */
    private static Map<String, String> contents(Path deb) {
        Result listing = run(List.of("dpkg-deb", "-c", deb.toString()));
        assertEquals(0, listing.exit(), listing.output());
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : listing.output().split("\n")) {
            String[] column = line.trim().split("\\s+", 6);
            if (column.length == 6) {
                files.put(column[5].replaceFirst("^\\./", "/"), column[0] + " " + column[1]);
            }
        }
        return files;
    }

    private static Map<String, String> fields(Path deb) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : List.of("Package", "Version", "Architecture", "Depends", "Recommends", "Suggests",
                "Section", "Priority", "Maintainer", "Description")) {
            Result value = run(List.of("dpkg-deb", "-f", deb.toString(), field));
            assertEquals(0, value.exit(), value.output());
            fields.put(field, value.output().strip());
        }
        return fields;
    }

    private Path extract(Path deb) {
        Path root = dir.resolve("root-" + deb.getFileName());
        if (!Files.isDirectory(root)) {
            Result extracted = run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
            assertEquals(0, extracted.exit(), extracted.output());
        }
        return root;
    }

    private Path control(Path deb) {
        Path control = dir.resolve("control-" + deb.getFileName());
        if (!Files.isDirectory(control)) {
            Result extracted = run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
            assertEquals(0, extracted.exit(), extracted.output());
        }
        return control;
    }

    /** A unit file's settings, key to values in order (section headers and comments left out). */
    private static Map<String, List<String>> unit(Path file) throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && equals > 0) {
                settings.computeIfAbsent(line.substring(0, equals), k -> new ArrayList<>())
                        .add(line.substring(equals + 1));
            }
        }
        return settings;
    }

    private static void assertSameFile(Path expected, Path actual) throws IOException {
        assertEquals(Files.size(expected), Files.size(actual), actual.toString());
        assertArrayEquals(sha256(expected), sha256(actual), actual + " has the built jar's SHA-256");
    }

    private static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, Map.of());
    }

    private static Result run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a maintainer script against a scratch root: its absolute paths ({@code /etc/callbox...},
     * {@code /var/lib/callbox...}, {@code /run/systemd/system}) are moved under {@link #root}, and the commands that
     * would change this machine (user and group tools, chown, systemd helpers) are stubs on PATH that record their
     * arguments; {@code getent} answers from what the stubs have created so far.
     */
    private final class Sandbox {
        final Path root;
        final Path bin;
        final Path log;
        final Path known;
        final Path control;

        Sandbox(Path control) throws IOException {
            this.control = control;
            this.root = Files.createTempDirectory(dir, "root-");
            this.bin = Files.createDirectories(root.resolve("stub-bin"));
            this.log = root.resolve("calls.log");
            this.known = root.resolve("known-names");
            Files.createDirectories(root.resolve("run/systemd/system"));
            Files.writeString(log, "");
            Files.writeString(known, "");
            String record = "printf '%s' \"$(basename \"$0\")\" >> " + log + "; for a in \"$@\"; do printf ' %s' \"$a\" >> "
                    + log + "; done; echo >> " + log + "\n";
            stub("getent", "grep -qx \"$1:$2\" " + known + "\n");
            stub("addgroup", record + "echo \"group:$2\" >> " + known + "\n");
            stub("adduser", record + "if [ \"$1\" = --system ]; then for a in \"$@\"; do last=$a; done; "
                    + "echo \"passwd:$last\" >> " + known + "; echo \"group:$last\" >> " + known + "; fi\n");
            for (String command : List.of("chown", "deb-systemd-helper", "deb-systemd-invoke", "systemctl")) {
                // deb-systemd-helper --quiet was-enabled succeeds: on a first install it means "enable it"
                stub(command, record);
            }
        }

        void existingGroups(String... groups) throws IOException {
            for (String group : groups) {
                Files.writeString(known, "group:" + group + "\n", java.nio.file.StandardOpenOption.APPEND);
            }
        }

        private void stub(String name, String body) throws IOException {
            Path file = bin.resolve(name);
            Files.writeString(file, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Result run(String script, String... args) throws IOException {
            String text = Files.readString(control.resolve(script))
                    .replace("/etc/callbox", root + "/etc/callbox")
                    .replace("/var/lib/callbox", root + "/var/lib/callbox")
                    .replace("/run/systemd/system", root + "/run/systemd/system");
            Path copy = root.resolve(script);
            Files.writeString(copy, text);
            List<String> command = new ArrayList<>(List.of("sh", copy.toString()));
            command.addAll(List.of(args));
            return DebianPackagesIT.run(command, Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin"));
        }

        List<String> calls() throws IOException {
            return Files.readAllLines(log);
        }

        void forgetCalls() throws IOException {
            Files.writeString(log, "");
        }

        String mode(String path) throws IOException {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
        }
    }
}
