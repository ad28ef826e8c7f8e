package cn.callbox.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.config.Pins;
import cn.callbox.protocol.firmware.FirmwareKeys;

class BoxCommandsTest extends AgainstFakeHub {

    static final String ENROLLED = """
            {"endpoint":"cb-aebagbaf","village":"后山村","villageId":"v-hs","point":"集市","pointId":"p-js",\
            "unit":"hs-u1","lat":30.75,"lon":108.41,"hubUri":"coaps://192.168.1.10:5684"}""";

    @Test
    void box_new_enrols_the_box_and_writes_the_golden_bundle_readable_by_its_owner_only() throws Exception {
        hub.answer("POST /api/callboxes", 201, ENROLLED);
        Path out = dir.resolve("bundles");

        Cli cli = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                out.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41");

        assertEquals(0, cli.exitCode, cli.toString());
        // FixedRandom: the id takes bytes 1..32 (4 bytes a character, the top 5 bits count), the key bytes 33..48
        String endpoint = cli.lastLine();
        assertEquals("cb-aabbccdd", endpoint);
        assertEquals(1, hub.requests().size());
        FakeHub.Request request = hub.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/api/callboxes", request.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("admin:s3cret-pw".getBytes(StandardCharsets.UTF_8)),
                request.authorization());
        assertTrue(request.contentType().startsWith("application/json"));
        JsonNode body = HubClient.JSON.readTree(request.body());
        assertEquals(Set.of("endpoint", "village", "point", "lat", "lon", "pskIdentity", "pskKey"), fields(body));
        assertEquals(endpoint, body.get("endpoint").asText());
        assertEquals(endpoint, body.get("pskIdentity").asText());
        assertEquals("后山村", body.get("village").asText());
        assertEquals("集市", body.get("point").asText());
        assertEquals(30.75, body.get("lat").asDouble());
        assertEquals(108.41, body.get("lon").asDouble());
        assertEquals(16, HexFormat.of().parseHex(body.get("pskKey").asText()).length);

        Path bundle = out.resolve(endpoint + ".properties");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(bundle)));
        assertEquals(golden("bundle-new.properties"), Files.readString(bundle, StandardCharsets.UTF_8));
        assertFalse(cli.out.contains(body.get("pskKey").asText()), "the key is never printed");
        assertFalse(cli.out.contains("s3cret") || cli.err.contains("s3cret"), "the password is never printed");

        Properties properties = load(bundle);
        assertEquals(endpoint, properties.getProperty("endpoint"));
        assertEquals("coaps://192.168.1.10:5684", properties.getProperty("hub.uri"));
        assertEquals(endpoint, properties.getProperty("psk.identity"));
        assertEquals(body.get("pskKey").asText(), properties.getProperty("psk.key"));
        assertEquals("30.75", properties.getProperty("location.lat"));
        assertEquals("108.41", properties.getProperty("location.lon"));
        assertEquals("集市", properties.getProperty("place"));
        assertEquals("/var/lib/callbox/outbox", properties.getProperty("outbox.dir"));

        // the edge takes it as it is
        DeviceConfig config = DeviceConfigLoader.load(bundle);
        assertEquals(endpoint, config.endpoint());
        assertTrue(config.secure());
        assertEquals("集市", config.place());
        assertEquals(Pins.DEFAULT, config.pins());
        assertEquals(body.get("pskKey").asText(), HexFormat.of().formatHex(config.pskKey()));
    }

    @Test
    void bundle_pin_map_is_the_edge_default() {
        assertEquals(Pins.DEFAULT.byKey(), DeviceBundle.DEFAULT_PINS);
    }

    @Test
    void box_new_takes_endpoint_unit_and_outbox_and_a_real_random_source_makes_different_boxes() throws Exception {
        hub.answer("POST /api/callboxes", 201, ENROLLED.replace("cb-aebagbaf", "cb-market-1"));
        Cli cli = Cli.run("box", "new", "--hub", hub.url() + "/", "--admin-password-file", password.toString(),
                "--out", dir.toString(), "--village", "v-hs", "--point", "p-js", "--lat", "30.75", "--lon", "108.41",
                "--unit", "hs-u1", "--endpoint", "cb-market-1", "--outbox-dir", "/srv/outbox");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("cb-market-1", cli.lastLine());
        JsonNode body = HubClient.JSON.readTree(hub.requests().get(0).body());
        assertEquals("hs-u1", body.get("unit").asText());
        assertEquals("/api/callboxes", hub.requests().get(0).path());
        Properties properties = load(dir.resolve("cb-market-1.properties"));
        assertEquals("/srv/outbox", properties.getProperty("outbox.dir"));

        // a relative outbox is relative to the bundle's folder: for a box simulated on a workstation
        hub.answer("POST /api/callboxes", 201, ENROLLED.replace("cb-aebagbaf", "cb-sim"));
        Cli sim = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "--village", "v-hs", "--point", "p-js", "--lat", "30.75", "--lon", "108.41",
                "--endpoint", "cb-sim", "--outbox-dir", "outbox");
        assertEquals(0, sim.exitCode, sim.toString());
        assertEquals(dir.toAbsolutePath().resolve("outbox"),
                DeviceConfigLoader.load(dir.resolve("cb-sim.properties")).outboxDir());

        String first = DeviceIdentity.newEndpoint(new java.security.SecureRandom());
        String second = DeviceIdentity.newEndpoint(new java.security.SecureRandom());
        assertFalse(first.equals(second));
    }

    @Test
    void box_new_refuses_bad_input_before_calling_the_hub() throws Exception {
        String[][] bad = {
            {"--lat", "91", "--lon", "108.41"},
            {"--lat", "30.75", "--lon", "20"},
            {"--lat", "north", "--lon", "108.41"},
            {"--lat", "30.75", "--lon", "108.41", "--endpoint", "CB_1"},
            {"--lat", "30.75", "--lon", "108.41", "--endpoint", "cb/1"},
        };
        for (String[] options : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("box", "new", "--hub", hub.url(),
                    "--admin-password-file", password.toString(), "--out", dir.toString(), "--village", "后山村",
                    "--point", "集市"));
            args.addAll(List.of(options));
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(2, cli.exitCode, String.join(" ", options) + "\n" + cli);
            assertFalse(cli.err.isBlank());
        }
        Cli cli = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.toString(), "--village", "后山村", "--point", "集市", "--lat", "91", "--lon", "108.41");
        assertTrue(cli.err.contains("--lat 91.0 is outside China's range (3 to 54)"), cli.err);
        assertEquals(List.of(), hub.requests());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(password), files.toList());
        }
    }

    @Test
    void box_new_with_an_unreadable_password_file_is_a_usage_error() {
        Cli missing = newBox(dir.resolve("no-such-file"));
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("admin password file " + dir.resolve("no-such-file")
                + " does not exist or is not a file"), missing.err);
        Cli folder = newBox(dir);
        assertEquals(2, folder.exitCode, folder.toString());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void box_new_when_the_hub_is_down_exits_3_and_writes_nothing() {
        String url = hub.url();
        hub.close();
        Cli cli = Cli.run("box", "new", "--hub", url, "--admin-password-file", password.toString(), "--out",
                dir.resolve("out").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon",
                "108.41");
        assertEquals(3, cli.exitCode, cli.toString());
        assertTrue(cli.err.contains("cannot reach the hub at " + url), cli.err);
        assertTrue(isEmptyFolder(dir.resolve("out")));
    }

    @Test
    void box_new_refused_by_the_hub_exits_1_with_its_problem_detail_and_writes_nothing() {
        hub.answer("POST /api/callboxes", 422, """
                {"type":"urn:callbox:problem:registry-rule","title":"Registry rule broken","status":422,\
                "detail":"call box at a new point: a call box at a new point needs a unit; the township has none",\
                "rule":"no-unit"}""");
        Cli cli = newBox(password);
        assertEquals(1, cli.exitCode, cli.toString());
        assertEquals("error: the hub refused (HTTP 422): call box at a new point: a call box at a new point needs a "
                + "unit; the township has none\nrule: no-unit\n", cli.err);
        assertTrue(isEmptyFolder(dir.resolve("out")));

        hub.answer("POST /api/callboxes", 409, """
                {"type":"urn:callbox:problem:callbox-taken","status":409,"detail":"endpoint cb-x is taken",\
                "rule":"unique-id"}""");
        Cli taken = newBox(password);
        assertEquals(1, taken.exitCode, taken.toString());
        assertTrue(taken.err.contains("endpoint cb-x is taken"), taken.err);

        hub.answer("POST /api/callboxes", 401, null);
        Cli unauthorised = newBox(password);
        assertEquals(1, unauthorised.exitCode, unauthorised.toString());
        assertTrue(unauthorised.err.contains("the hub refused the admin password"), unauthorised.err);
    }

    @Test
    void box_new_refuses_to_overwrite_a_bundle() throws Exception {
        Files.writeString(dir.resolve("cb-one.properties"), "endpoint=cb-one\n");
        Cli cli = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41",
                "--endpoint", "cb-one");
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals(List.of(), hub.requests());
        assertEquals("endpoint=cb-one\n", Files.readString(dir.resolve("cb-one.properties")));
    }

    @Test
    void box_new_export_calls_no_hub_and_box_enrol_sends_the_export_later() throws Exception {
        Path export = dir.resolve("export/cb-late.json");
        Cli cli = Cli.run("box", "new", "--export", export.toString(), "--hub-uri", "coaps://10.0.0.5:5684", "--out",
                dir.resolve("out").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon",
                "108.41", "--endpoint", "cb-late");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("cb-late", cli.lastLine());
        assertEquals(List.of(), hub.requests());
        assertEquals("rw-------", mode(export));
        JsonNode exported = HubClient.JSON.readTree(export.toFile());
        Properties bundle = load(dir.resolve("out/cb-late.properties"));
        assertEquals("rw-------", mode(dir.resolve("out/cb-late.properties")));
        assertEquals(bundle.getProperty("psk.key"), exported.get("pskKey").asText());
        assertEquals("coaps://10.0.0.5:5684", bundle.getProperty("hub.uri"));
        assertEquals("cb-late", exported.get("pskIdentity").asText());

        hub.answer("POST /api/callboxes", 201, ENROLLED.replace("cb-aebagbaf", "cb-late"));
        Cli enrol = Cli.run("box", "enrol", "--hub", hub.url(), "--admin-password-file", password.toString(),
                export.toString());
        assertEquals(0, enrol.exitCode, enrol.toString());
        assertEquals("cb-late", enrol.lastLine());
        assertEquals(exported, HubClient.JSON.readTree(hub.requests().get(0).body()));

        Cli noHubUri = Cli.run("box", "new", "--export", dir.resolve("other.json").toString(), "--out",
                dir.resolve("out").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon",
                "108.41");
        assertEquals(2, noHubUri.exitCode, noHubUri.toString());
        assertTrue(noHubUri.err.contains("--export needs --hub-uri"), noHubUri.err);

        Files.writeString(dir.resolve("broken.json"), "{\"endpoint\":\"cb-x\"}");
        Cli broken = Cli.run("box", "enrol", "--hub", hub.url(), "--admin-password-file", password.toString(),
                dir.resolve("broken.json").toString());
        assertEquals(2, broken.exitCode, broken.toString());
        assertEquals(1, hub.requests().size());
    }

    @Test
    void box_new_trusts_the_firmware_keys_given_besides_those_the_hub_sends() throws Exception {
        Path release = dir.resolve("keys/release.pub");
        Path spare = dir.resolve("keys/spare.pub");
        Files.createDirectories(release.getParent());
        String releaseKey = FirmwareKeys.toBase64(FirmwareKeys.generate().getPublic());
        String spareKey = FirmwareKeys.toBase64(FirmwareKeys.generate().getPublic());
        String hubKey = FirmwareKeys.toBase64(FirmwareKeys.generate().getPublic());
        Files.writeString(release, FirmwareKeys.toPem(FirmwareKeys.publicKey(releaseKey)));
        Files.writeString(spare, spareKey + "\n");

        Cli exported = Cli.run("box", "new", "--export", dir.resolve("cb-fw.json").toString(), "--hub-uri",
                "coaps://10.0.0.5:5684", "--out", dir.toString(), "--village", "后山村", "--point", "集市", "--lat",
                "30.75", "--lon", "108.41", "--endpoint", "cb-fw", "--firmware-key", release.toString(),
                "--firmware-key", spare.toString());
        assertEquals(0, exported.exitCode, exported.toString());
        assertEquals(releaseKey + "," + spareKey, load(dir.resolve("cb-fw.properties"))
                .getProperty("firmware.trusted-keys"));

        // with a hub: its keys first, then the given ones, each once
        hub.answer("POST /api/callboxes", 201, ENROLLED.replace("cb-aebagbaf", "cb-fw2").replace("}",
                ",\"firmwareKeys\":[\"" + hubKey + "\",\"" + releaseKey + "\"]}"));
        Cli enrolled = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41",
                "--endpoint", "cb-fw2", "--firmware-key", release.toString(), "--firmware-key", spare.toString());
        assertEquals(0, enrolled.exitCode, enrolled.toString());
        assertEquals(hubKey + "," + releaseKey + "," + spareKey, load(dir.resolve("cb-fw2.properties"))
                .getProperty("firmware.trusted-keys"));

        // a private key (or anything else) given by mistake: refused before anything is enrolled or written
        Path privateKey = dir.resolve("keys/release.key");
        Files.writeString(privateKey, FirmwareKeys.toPem(FirmwareKeys.generate().getPrivate()));
        int requests = hub.requests().size();
        Cli wrong = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41",
                "--endpoint", "cb-fw3", "--firmware-key", privateKey.toString());
        assertEquals(2, wrong.exitCode, wrong.toString());
        assertTrue(wrong.err.contains("--firmware-key " + privateKey + " holds no Ed25519 public key"), wrong.err);
        assertEquals(requests, hub.requests().size());
        assertFalse(Files.exists(dir.resolve("cb-fw3.properties")));
        Cli missing = Cli.run("box", "new", "--export", dir.resolve("cb-fw4.json").toString(), "--hub-uri",
                "coaps://10.0.0.5:5684", "--out", dir.toString(), "--village", "后山村", "--point", "集市", "--lat",
                "30.75", "--lon", "108.41", "--endpoint", "cb-fw4", "--firmware-key", dir.resolve("none.pub")
                        .toString());
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("cannot read the firmware key"), missing.err);
        assertFalse(Files.exists(dir.resolve("cb-fw4.json")));
    }

    @Test
    void rotate_key_puts_a_new_key_and_rewrites_only_the_key_of_the_bundle() throws Exception {
        hub.answer("POST /api/callboxes", 201, ENROLLED.replace("cb-aebagbaf", "cb-rot"));
        assertEquals(0, Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41",
                "--endpoint", "cb-rot").exitCode);
        Path bundle = dir.resolve("cb-rot.properties");
        String before = Files.readString(bundle, StandardCharsets.UTF_8);
        String oldKey = load(bundle).getProperty("psk.key");

        hub.answer("PUT /api/callboxes/cb-rot/key", 200, "{\"endpoint\":\"cb-rot\",\"pskIdentity\":\"cb-rot\"}");
        Cli cli = Cli.run(new java.security.SecureRandom(), "box", "rotate-key", "--hub", hub.url(),
                "--admin-password-file", password.toString(), "--out", dir.toString(), "cb-rot");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("cb-rot", cli.lastLine());
        FakeHub.Request put = hub.requests().get(1);
        assertEquals("PUT", put.method());
        assertEquals("/api/callboxes/cb-rot/key", put.path());
        JsonNode body = HubClient.JSON.readTree(put.body());
        assertEquals(Set.of("pskIdentity", "pskKey"), fields(body));
        assertEquals("cb-rot", body.get("pskIdentity").asText());
        String newKey = body.get("pskKey").asText();
        assertFalse(newKey.equals(oldKey));
        assertEquals(before.replace("psk.key=" + oldKey, "psk.key=" + newKey),
                Files.readString(bundle, StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(bundle));
        assertEquals(List.of(bundle), listFiles(dir).stream().filter(p -> p.toString().contains("cb-rot")).toList());
    }

    @Test
    void rotate_key_keeps_the_bundle_when_the_hub_refuses_and_needs_the_bundle() throws Exception {
        Files.writeString(dir.resolve("cb-r2.properties"), "endpoint=cb-r2\npsk.identity=cb-r2\npsk.key=00\n");
        hub.answer("PUT /api/callboxes/cb-r2/key", 404, "{\"status\":404,\"detail\":\"no call box cb-r2\"}");
        Cli refused = Cli.run("box", "rotate-key", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "cb-r2");
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.err.contains("no call box cb-r2"), refused.err);
        assertEquals("endpoint=cb-r2\npsk.identity=cb-r2\npsk.key=00\n",
                Files.readString(dir.resolve("cb-r2.properties")));
        assertEquals(2, listFiles(dir).size(), "no temp file left: " + listFiles(dir));

        Cli missing = Cli.run("box", "rotate-key", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "cb-gone");
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("no bundle " + dir.resolve("cb-gone.properties")), missing.err);
        assertEquals(1, hub.requests().size());
    }

    @Test
    void retire_deletes_the_box_and_says_so() {
        hub.answer("DELETE /api/callboxes/cb-old", 204, null);
        Cli cli = Cli.run("box", "retire", "--hub", hub.url(), "--admin-password-file", password.toString(), "cb-old");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("retired cb-old", cli.lastLine());
        assertEquals("DELETE", hub.requests().get(0).method());
        assertEquals("/api/callboxes/cb-old", hub.requests().get(0).path());

        Cli unknown = Cli.run("box", "retire", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "cb-none");
        assertEquals(1, unknown.exitCode, unknown.toString());
        assertTrue(unknown.err.contains("HTTP 404"), unknown.err);
    }

    @Test
    void list_prints_a_table_of_the_boxes() {
        hub.answer("GET /api/callboxes", 200, """
                [{"endpoint":"hs-cb-1","village":"后山村","place":"集市","lat":30.7,"lon":108.4,"online":true,\
                "lastSeen":"2026-11-29T07:59:01Z","sirenSounding":false,"unit":"hs-u1","lockerReady":true},
                {"endpoint":"cb-aebagbaf","village":"Xinhua","place":"Grid 3 square","lat":30.8,"lon":108.5,\
                "online":false,"lastSeen":null,"sirenSounding":false,"unit":null,"lockerReady":null}]""");
        Cli cli = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file", password.toString());
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(List.of(
                "ENDPOINT     VILLAGE  PLACE          UNIT   ONLINE  LAST SEEN",
                "hs-cb-1      后山村   集市           hs-u1  yes     2026-11-29T07:59:01Z",
                "cb-aebagbaf  Xinhua   Grid 3 square  -      no      -",
                "2 call boxes"), cli.outLines());
        assertEquals("GET", hub.requests().get(0).method());
    }

    @Test
    void every_command_has_help_and_usage_errors_exit_2() {
        for (String[] command : new String[][] {{}, {"box"}, {"box", "new"}, {"box", "enrol"}, {"box", "rotate-key"},
            {"box", "retire"}, {"box", "list"}, {"import"}}) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.add("--help");
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.startsWith("Usage: callbox-provision"), cli.out);
        }
        Cli version = Cli.run("--version");
        assertEquals(0, version.exitCode);
        assertTrue(version.out.startsWith("callbox-provision "), version.out);

        assertEquals(2, Cli.run().exitCode);
        assertEquals(2, Cli.run("box").exitCode);
        assertEquals(2, Cli.run("box", "retire", "--hub", hub.url()).exitCode);
        assertEquals(2, Cli.run("box", "new", "--frobnicate").exitCode);
        Cli missing = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--out", dir.toString(), "--point", "集市", "--lat", "30.75");
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.startsWith("Missing required options: --village=V, --lon=LON\n"), missing.err);
        assertEquals(2, Cli.run("box", "retire", "--hub", "ftp://x", "--admin-password-file", password.toString(),
                "cb-1").exitCode);
        assertEquals(List.of(), hub.requests());
    }

    private Cli newBox(Path passwordFile) {
        return Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", passwordFile.toString(), "--out",
                dir.resolve("out").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon",
                "108.41");
    }

    static String golden(String name) throws IOException {
        try (InputStream in = BoxCommandsTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String mode(Path file) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static boolean isEmptyFolder(Path folder) {
        return !Files.exists(folder) || listFiles(folder).isEmpty();
    }

    private static List<Path> listFiles(Path folder) {
        try (var files = Files.list(folder)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
