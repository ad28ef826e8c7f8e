package cn.callbox.provision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;

class FirmwareCommandsTest extends AgainstFakeHub {

    static final String STORED = """
            {"id":"fw-7k2m9q","name":"callbox-edge","version":"0.2.0","size":151,"sha256":"%s",\
            "keyId":"%s","uploadedAt":"2026-11-29T08:01:00Z","uploadedBy":"admin"}""";

    static final String ROLLOUT = """
            {"id":"ro-4hx8","firmware":"fw-7k2m9q","version":"0.2.0","state":"halted","waveSize":2,"wave":1,"waves":2,\
            "createdAt":"2026-11-29T08:02:00Z","createdBy":"admin","endedAt":"2026-11-29T08:09:30Z",\
            "detail":"wave 1 ended with 1 failed box","counts":{"pending":1,"downloading":0,"installing":0,\
            "succeeded":1,"failed":1,"rolled-back":0,"skipped":0,"cancelled":0},"boxes":[\
            {"endpoint":"hs-cb-1","wave":1,"state":"succeeded","result":1,"detail":null,"fromVersion":"0.1.0",\
            "updatedAt":"2026-11-29T08:05:10Z"},\
            {"endpoint":"cb-aebagbaf","wave":1,"state":"failed","result":5,\
            "detail":"the box refused the package: integrity check failed","fromVersion":"0.1.0",\
            "updatedAt":"2026-11-29T08:04:00Z"},\
            {"endpoint":"cb-west-3","wave":2,"state":"pending","result":null,"detail":null,"fromVersion":null,\
            "updatedAt":"2026-11-29T08:02:00Z"}]}""";

    // ------------------------------------------------------------------ keygen

    @Test
    void keygen_writes_a_private_key_for_its_owner_only_and_prints_the_public_key_last() throws Exception {
        Path keys = dir.resolve("keys");
        Cli cli = Cli.run("firmware", "keygen", "--out", keys.toString());

        assertEquals(0, cli.exitCode, cli.toString());
        Path privateFile = keys.resolve("firmware-signing.key");
        Path publicFile = keys.resolve("firmware-signing.pub");
        assertEquals("rw-------", mode(privateFile));
        assertEquals("rw-r--r--", mode(publicFile));
        assertTrue(Files.readString(privateFile).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        PublicKey printed = FirmwareKeys.publicKey(cli.lastLine());
        assertEquals(FirmwareKeys.readPublicKey(publicFile), printed);
        assertTrue(cli.out.contains("key id      " + FirmwareKeys.keyId(printed) + "\n"), cli.out);
        assertEquals(FirmwarePackCommand.publicKeyOf(FirmwareKeys.readPrivateKey(privateFile)).orElseThrow(),
                printed, "the two files are one key pair");
        // the repeatable random source of the tests makes the same key every run
        assertEquals(golden("keygen.txt"), cli.out.replace(keys.toString(), "KEYS"));
        assertEquals("", cli.err);
    }

    @Test
    void keygen_never_overwrites_a_key() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        assertEquals(0, Cli.run("firmware", "keygen", "--out", keys.toString(), "--name", "release").exitCode);
        String before = Files.readString(keys.resolve("release.key"));

        Cli again = Cli.run(new java.security.SecureRandom(), "firmware", "keygen", "--out", keys.toString(),
                "--name", "release");
        assertEquals(2, again.exitCode, again.toString());
        assertTrue(again.err.startsWith("error: " + keys.resolve("release.key") + " exists already; not "
                + "overwritten"), again.err);
        assertEquals(before, Files.readString(keys.resolve("release.key")));

        // a lone public key of that name also stops it: no private key is made beside it
        Files.writeString(keys.resolve("other.pub"), "x");
        Cli lonePublic = Cli.run("firmware", "keygen", "--out", keys.toString(), "--name", "other");
        assertEquals(2, lonePublic.exitCode, lonePublic.toString());
        assertFalse(Files.exists(keys.resolve("other.key")));
        assertEquals("x", Files.readString(keys.resolve("other.pub")));

        Cli badName = Cli.run("firmware", "keygen", "--out", keys.toString(), "--name", "../up");
        assertEquals(2, badName.exitCode, badName.toString());
        assertEquals(List.of("other.pub", "release.key", "release.pub"), names(keys));
    }

    // ------------------------------------------------------------------ pack and verify

    @Test
    void pack_signs_the_jar_and_verify_takes_it_with_the_public_key() throws Exception {
        Path keys = keygen("release");
        Path jar = jar("0.2.0", "cn.callbox.device.CallBoxMain");
        Path out = dir.resolve("dist/callbox-edge-0.2.0.cbfw");

        Cli pack = Cli.run("firmware", "pack", "--key", keys.resolve("release.key").toString(), "--jar",
                jar.toString(), "--out", out.toString());

        assertEquals(0, pack.exitCode, pack.toString());
        assertEquals(out.toString(), pack.lastLine());
        assertEquals(golden("pack.txt"), pack.out.replace(dir.toString(), "DIR"));
        assertEquals("rw-r--r--", mode(out));
        assertEquals(List.of("callbox-edge-0.2.0.cbfw"), names(out.getParent()), "no temp file is left");
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(out)) {
            FirmwarePackage.Verified verified = FirmwarePackage.read(in,
                    List.of(FirmwareKeys.readPublicKey(keys.resolve("release.pub"))), payload);
            assertEquals(FirmwarePackage.EDGE_FIRMWARE, verified.manifest().name());
            assertEquals("0.2.0", verified.manifest().version(), "the version from the jar's manifest");
            assertEquals(java.time.Instant.parse("2026-11-29T08:00:00Z"), verified.manifest().created());
        }
        assertArrayEquals(Files.readAllBytes(jar), payload.toByteArray(), "the payload is the jar as it is");

        Cli verify = Cli.run("firmware", "verify", "--trusted-key", keys.resolve("release.pub").toString(),
                out.toString());
        assertEquals(0, verify.exitCode, verify.toString());
        assertEquals(golden("verify.txt"), verify.out);

        // the base64 line of the hub's configuration does as well, also in a comma-separated list
        String other = keygenBase64("other");
        String release = Files.readString(keys.resolve("release.pub"));
        String base64 = FirmwareKeys.toBase64(FirmwareKeys.readPublicKey(keys.resolve("release.pub")));
        assertTrue(release.contains("BEGIN PUBLIC KEY"));
        Cli byList = Cli.run("firmware", "verify", "--trusted-key", other + "," + base64, out.toString());
        assertEquals(0, byList.exitCode, byList.toString());
    }

    @Test
    void verify_refuses_a_package_of_another_key_and_a_flipped_byte_with_exit_1() throws Exception {
        Path keys = keygen("release");
        String other = keygenBase64("other");
        Path out = pack(keys.resolve("release.key"), jar("0.2.0", "Main"), dir.resolve("a.cbfw"));

        Cli untrusted = Cli.run("firmware", "verify", "--trusted-key", other, out.toString());
        assertEquals(1, untrusted.exitCode, untrusted.toString());
        assertEquals("error: package refused (untrusted): signature does not verify with any of the 1 trusted "
                + "key(s)\n", untrusted.err);
        assertEquals("", untrusted.out, "nothing of a refused package is shown");

        String trusted = keys.resolve("release.pub").toString();
        byte[] good = Files.readAllBytes(out);
        Path flippedPayload = dir.resolve("payload.cbfw");
        byte[] bytes = good.clone();
        bytes[bytes.length - 10] ^= 0x01;
        Files.write(flippedPayload, bytes);
        Cli integrity = Cli.run("firmware", "verify", "--trusted-key", trusted, flippedPayload.toString());
        assertEquals(1, integrity.exitCode, integrity.toString());
        assertTrue(integrity.err.startsWith("error: package refused (integrity): payload SHA-256 "), integrity.err);

        Path flippedManifest = dir.resolve("manifest.cbfw");
        bytes = good.clone();
        int version = indexOf(bytes, "version=0.2.0".getBytes(StandardCharsets.US_ASCII));
        bytes[version + "version=0.2.".length()] = '1';
        Files.write(flippedManifest, bytes);
        Cli forged = Cli.run("firmware", "verify", "--trusted-key", trusted, flippedManifest.toString());
        assertEquals(1, forged.exitCode, forged.toString());
        assertTrue(forged.err.contains("(untrusted)"), forged.err);

        Path truncated = dir.resolve("short.cbfw");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 1));
        assertEquals(1, Cli.run("firmware", "verify", "--trusted-key", trusted, truncated.toString()).exitCode);

        Cli notAPackage = Cli.run("firmware", "verify", "--trusted-key", trusted, password.toString());
        assertEquals(1, notAPackage.exitCode, notAPackage.toString());
        assertTrue(notAPackage.err.contains("(malformed)"), notAPackage.err);

        Cli badKey = Cli.run("firmware", "verify", "--trusted-key", "not-a-key", out.toString());
        assertEquals(2, badKey.exitCode, badKey.toString());
        Cli missingKeyFile = Cli.run("firmware", "verify", "--trusted-key", dir.resolve("gone.pub").toString(),
                out.toString());
        assertEquals(2, missingKeyFile.exitCode, missingKeyFile.toString());
        assertTrue(missingKeyFile.err.contains("no such key file"), missingKeyFile.err);
        assertEquals(2, Cli.run("firmware", "verify", "--trusted-key", trusted, dir.resolve("gone.cbfw").toString())
                .exitCode);
    }

    @Test
    void pack_refuses_a_missing_or_odd_jar_and_writes_nothing() throws Exception {
        Path key = keygen("release").resolve("release.key");
        Path out = dir.resolve("out/x.cbfw");

        Cli missing = packCli(key, dir.resolve("no.jar"), out);
        assertEquals(2, missing.exitCode, missing.toString());
        assertEquals("error: no firmware jar " + dir.resolve("no.jar") + "\n", missing.err);

        Cli text = packCli(key, password, out);
        assertEquals(2, text.exitCode, text.toString());
        assertTrue(text.err.startsWith("error: " + password + " is not a jar"), text.err);

        Cli noMain = packCli(key, jar("0.2.0", null), out);
        assertEquals(2, noMain.exitCode, noMain.toString());
        assertTrue(noMain.err.contains("has no Main-Class in its manifest"), noMain.err);

        Path unversioned = jar(null, "Main");
        Cli noVersion = packCli(key, unversioned, out);
        assertEquals(2, noVersion.exitCode, noVersion.toString());
        assertEquals("error: " + unversioned + " has no Implementation-Version in its manifest: give --version V\n",
                noVersion.err);

        Cli badVersion = Cli.run("firmware", "pack", "--key", key.toString(), "--jar", unversioned.toString(),
                "--version", "1 0", "--out", out.toString());
        assertEquals(2, badVersion.exitCode, badVersion.toString());
        assertTrue(badVersion.err.startsWith("error: version '1 0' is not a firmware version"), badVersion.err);

        Cli publicAsKey = packCli(dir.resolve("keys/release.pub"), jar("0.2.0", "Main"), out);
        assertEquals(2, publicAsKey.exitCode, publicAsKey.toString());
        assertTrue(publicAsKey.err.contains("is not a PEM PRIVATE KEY file"), publicAsKey.err);
        assertEquals(2, packCli(dir.resolve("keys/none.key"), jar("0.2.0", "Main"), out).exitCode);

        assertFalse(Files.exists(out.getParent()) && !names(out.getParent()).isEmpty(), "nothing was written");
    }

    @Test
    void pack_overwrites_a_package_only_with_force() throws Exception {
        Path key = keygen("release").resolve("release.key");
        Path out = dir.resolve("x.cbfw");
        Files.writeString(out, "old");

        Cli refused = Cli.run("firmware", "pack", "--key", key.toString(), "--jar", jar("0.2.0", "Main").toString(),
                "--version", "0.2.1", "--out", out.toString());
        assertEquals(2, refused.exitCode, refused.toString());
        assertTrue(refused.err.contains("exists already; not overwritten (--force to overwrite)"), refused.err);
        assertEquals("old", Files.readString(out));

        Cli forced = Cli.run("firmware", "pack", "--key", key.toString(), "--jar", jar("0.2.0", "Main").toString(),
                "--version", "0.2.1", "--out", out.toString(), "--force");
        assertEquals(0, forced.exitCode, forced.toString());
        assertTrue(forced.outLines().contains("version  0.2.1"), forced.out);
        Cli verify = Cli.run("firmware", "verify", "--trusted-key", dir.resolve("keys/release.pub").toString(),
                out.toString());
        assertEquals(0, verify.exitCode, verify.toString());
    }

    // ------------------------------------------------------------------ upload, rollout, status

    @Test
    void upload_streams_the_package_as_octet_stream_and_prints_the_id_last() throws Exception {
        Path out = pack(keygen("release").resolve("release.key"), jar("0.2.0", "Main"), dir.resolve("a.cbfw"));
        hub.answer("POST /api/firmware", 201, STORED.formatted("ab".repeat(32), "0123456789abcdef"));

        Cli cli = Cli.run("firmware", "upload", "--hub", hub.url(), "--admin-password-file", password.toString(),
                out.toString());

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(List.of("uploaded callbox-edge 0.2.0: 151 bytes, sha256 " + "ab".repeat(32)
                + ", key 0123456789abcdef, by admin at 2026-11-29T08:01:00Z", "fw-7k2m9q"), cli.outLines());
        FakeHub.Request request = hub.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/api/firmware", request.path());
        assertEquals("application/octet-stream", request.contentType());
        assertTrue(request.authorization().startsWith("Basic "));
        assertArrayEquals(Files.readAllBytes(out), request.bytes(), "the body is the package file as it is");
    }

    @Test
    void upload_refused_by_the_hub_exits_1_with_the_problem_detail() throws Exception {
        Path out = pack(keygen("release").resolve("release.key"), jar("0.2.0", "Main"), dir.resolve("a.cbfw"));
        hub.answer("POST /api/firmware", 422, """
                {"type":"urn:callbox:problem:firmware-refused","title":"Firmware package refused","status":422,\
                "detail":"signature does not verify with any of the 2 trusted key(s)","reason":"untrusted"}""");
        Cli untrusted = upload(out);
        assertEquals(1, untrusted.exitCode, untrusted.toString());
        assertEquals("reason: untrusted\nerror: the hub refused (HTTP 422): signature does not verify with any of "
                + "the 2 trusted key(s)\n", untrusted.err);
        assertEquals("", untrusted.out);

        hub.answer("POST /api/firmware", 409, """
                {"type":"urn:callbox:problem:firmware-exists","status":409,\
                "detail":"callbox-edge 0.2.0 is held already","existing":"fw-old1"}""");
        Cli exists = upload(out);
        assertEquals(1, exists.exitCode, exists.toString());
        assertTrue(exists.err.contains("held already as fw-old1\n"), exists.err);
        assertTrue(exists.err.contains("callbox-edge 0.2.0 is held already"), exists.err);

        Cli notAPackage = upload(password);
        assertEquals(2, notAPackage.exitCode, notAPackage.toString());
        assertTrue(notAPackage.err.contains("is not a firmware package"), notAPackage.err);
        assertEquals(2, upload(dir.resolve("gone.cbfw")).exitCode);
        assertEquals(2, hub.requests().size(), "nothing was sent for the bad files");

        String url = hub.url();
        hub.close();
        Cli down = Cli.run("firmware", "upload", "--hub", url, "--admin-password-file", password.toString(),
                out.toString());
        assertEquals(3, down.exitCode, down.toString());
        assertTrue(down.err.contains("cannot reach the hub at " + url), down.err);
    }

    @Test
    void rollout_posts_the_package_boxes_and_wave_size_and_prints_the_id_last() throws Exception {
        hub.answer("POST /api/firmware/rollouts", 201, ROLLOUT.replace("\"halted\"", "\"running\""));

        Cli cli = Cli.run("firmware", "rollout", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--firmware", "fw-7k2m9q", "--wave-size", "2", "--endpoint", "hs-cb-1", "--endpoint", "cb-aebagbaf",
                "--endpoint", "cb-west-3");

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(List.of("roll-out ro-4hx8 started: firmware fw-7k2m9q version 0.2.0 to 3 boxes in 2 waves of 2",
                "ro-4hx8"), cli.outLines());
        FakeHub.Request request = hub.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/api/firmware/rollouts", request.path());
        assertTrue(request.contentType().startsWith("application/json"));
        assertEquals(HubClient.JSON.readTree("""
                {"firmware":"fw-7k2m9q","endpoints":["hs-cb-1","cb-aebagbaf","cb-west-3"],"waveSize":2}"""),
                HubClient.JSON.readTree(request.body()));

        Cli all = Cli.run("firmware", "rollout", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--firmware", "fw-7k2m9q");
        assertEquals(0, all.exitCode, all.toString());
        assertEquals(Set.of("firmware"), fields(HubClient.JSON.readTree(hub.requests().get(1).body())),
                "every box and the hub's wave size: the fields are left out");

        hub.answer("POST /api/firmware/rollouts", 404, """
                {"type":"urn:callbox:problem:firmware-not-found","status":404,"detail":"no firmware package fw-x"}""");
        Cli unknown = Cli.run("firmware", "rollout", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--firmware", "fw-x");
        assertEquals(1, unknown.exitCode, unknown.toString());
        assertTrue(unknown.err.contains("no firmware package fw-x"), unknown.err);

        int before = hub.requests().size();
        assertEquals(2, Cli.run("firmware", "rollout", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--firmware", "fw-1", "--wave-size", "0").exitCode);
        assertEquals(2, Cli.run("firmware", "rollout", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--firmware", "fw-1", "--endpoint", "CB 1").exitCode);
        assertEquals(before, hub.requests().size());
    }

    @Test
    void status_prints_a_halted_rollout_as_a_table_and_exits_0() throws Exception {
        hub.answer("GET /api/firmware/rollouts/ro-4hx8", 200, ROLLOUT);

        Cli cli = Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "ro-4hx8");

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(golden("status.txt"), cli.out);
        assertEquals("GET", hub.requests().get(0).method());
        assertEquals("/api/firmware/rollouts/ro-4hx8", hub.requests().get(0).path());

        Cli unknown = Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "ro-none");
        assertEquals(1, unknown.exitCode, unknown.toString());
        assertEquals(2, Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "../api").exitCode);
    }

    @Test
    void status_without_an_id_lists_the_rollouts() {
        hub.answer("GET /api/firmware/rollouts", 200, """
                [{"id":"ro-b","firmware":"fw-2","version":"0.3.0","state":"running","waveSize":5,"wave":1,"waves":1,\
                "createdAt":"2026-11-29T09:00:00Z","createdBy":"admin","endedAt":null,"detail":null,\
                "counts":{"pending":2,"downloading":1,"succeeded":0}},
                {"id":"ro-a","firmware":"fw-1","version":"0.2.0","state":"completed","waveSize":5,"wave":1,\
                "waves":1,"createdAt":"2026-11-28T09:00:00Z","createdBy":"admin","endedAt":"2026-11-28T09:20:00Z",\
                "detail":null,"counts":{"pending":0,"succeeded":3}}]""");

        Cli cli = Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file", password.toString());

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(List.of(
                "ID    FIRMWARE  VERSION  STATE      WAVE  BOXES                     CREATED",
                "ro-b  fw-2      0.3.0    running    1/1   2 pending, 1 downloading  2026-11-29T09:00:00Z",
                "ro-a  fw-1      0.2.0    completed  1/1   3 succeeded               2026-11-28T09:00:00Z",
                "2 roll-outs"), cli.outLines());
        assertEquals("/api/firmware/rollouts", hub.requests().get(0).path());
    }

    @Test
    void status_wait_polls_until_the_rollout_ends() throws IOException {
        String running = ROLLOUT.replace("\"halted\"", "\"running\"").replace("\"endedAt\":\"2026-11-29T08:09:30Z\"",
                "\"endedAt\":null");
        hub.answer("GET /api/firmware/rollouts/ro-4hx8", 200, running)
                .thenAnswer("GET /api/firmware/rollouts/ro-4hx8", 200, ROLLOUT.replace("\"halted\"",
                        "\"completed\""));
        Cli completed = Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--wait", "ro-4hx8");
        assertEquals(0, completed.exitCode, completed.toString());
        assertEquals("wave 1/2: 1 pending, 1 succeeded, 1 failed", completed.outLines().get(0));
        assertTrue(completed.out.contains("state     COMPLETED"), completed.out);
        assertEquals(2, hub.requests().size(), "polled until it ended");

        hub.answer("GET /api/firmware/rollouts/ro-4hx8", 200, ROLLOUT);
        Cli halted = Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--wait", "ro-4hx8");
        assertEquals(1, halted.exitCode, halted.toString());
        assertEquals("error: roll-out ro-4hx8 halted: wave 1 ended with 1 failed box\n", halted.err);
        assertEquals(golden("status.txt"), halted.out, "the table is shown all the same");
    }

    @Test
    void cancel_posts_to_the_rollout_and_a_rollout_that_is_not_running_exits_1() {
        hub.answer("POST /api/firmware/rollouts/ro-4hx8/cancel", 200, ROLLOUT.replace("\"halted\"", "\"cancelled\""));
        Cli cli = Cli.run("firmware", "cancel", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "ro-4hx8");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("roll-out ro-4hx8 cancelled: 1 pending, 1 succeeded, 1 failed", cli.lastLine());
        assertEquals("POST", hub.requests().get(0).method());
        assertEquals("/api/firmware/rollouts/ro-4hx8/cancel", hub.requests().get(0).path());

        hub.answer("POST /api/firmware/rollouts/ro-4hx8/cancel", 409, """
                {"status":409,"detail":"roll-out ro-4hx8 is cancelled, not running"}""");
        Cli again = Cli.run("firmware", "cancel", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "ro-4hx8");
        assertEquals(1, again.exitCode, again.toString());
        assertTrue(again.err.contains("roll-out ro-4hx8 is cancelled, not running"), again.err);
        assertEquals(2, Cli.run("firmware", "cancel", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "ro/x").exitCode);
        assertEquals(2, hub.requests().size());
    }

    // ------------------------------------------------------------------ box new, help

    @Test
    void box_new_hands_the_hubs_firmware_keys_to_the_box() throws Exception {
        String release = keygenBase64("release");
        String other = keygenBase64("other");
        hub.answer("POST /api/callboxes", 201, BoxCommandsTest.ENROLLED.replace("}", ",\"firmwareKeys\":[\""
                + release + "\",\"" + other + "\"]}"));

        Cli cli = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.resolve("bundles").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75",
                "--lon", "108.41", "--endpoint", "cb-ota");

        assertEquals(0, cli.exitCode, cli.toString());
        Path bundle = dir.resolve("bundles/cb-ota.properties");
        String text = Files.readString(bundle, StandardCharsets.UTF_8);
        assertTrue(text.contains("outbox.dir=/var/lib/callbox/outbox\n# Firmware over the air: only packages signed "
                + "with one of these keys are installed.\nfirmware.trusted-keys=" + release + "," + other + "\n"),
                text);
        assertEquals(release + "," + other, load(bundle).getProperty("firmware.trusted-keys"));
        assertEquals(List.of(FirmwareKeys.publicKey(release), FirmwareKeys.publicKey(other)),
                FirmwareKeys.publicKeys(load(bundle).getProperty("firmware.trusted-keys")));
        assertEquals("cb-ota", DeviceConfigLoader.load(bundle).endpoint(), "the edge takes the bundle");

        hub.answer("POST /api/callboxes", 201, BoxCommandsTest.ENROLLED.replace("}", ",\"firmwareKeys\":[]}"));
        Cli none = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.resolve("bundles").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75",
                "--lon", "108.41", "--endpoint", "cb-none");
        assertEquals(0, none.exitCode, none.toString());
        assertFalse(Files.readString(dir.resolve("bundles/cb-none.properties")).contains("firmware"));

        hub.answer("POST /api/callboxes", 201, BoxCommandsTest.ENROLLED.replace("}", ",\"firmwareKeys\":[\"bogus\",\""
                + release + "\"]}"));
        Cli bogus = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--out",
                dir.resolve("bundles").toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75",
                "--lon", "108.41", "--endpoint", "cb-bogus");
        assertEquals(0, bogus.exitCode, bogus.toString());
        assertTrue(bogus.err.startsWith("warning: the hub sent a firmware key that is not an Ed25519 public key"),
                bogus.err);
        assertEquals(release, load(dir.resolve("bundles/cb-bogus.properties")).getProperty("firmware.trusted-keys"));
    }

    @Test
    void every_firmware_command_has_help_and_usage_errors_exit_2() throws Exception {
        for (String command : new String[] {"keygen", "pack", "verify", "upload", "rollout", "status",
            "cancel"}) {
            Cli cli = Cli.run("firmware", command, "--help");
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.startsWith("Usage: callbox-provision firmware " + command), cli.out);
        }
        assertEquals(golden("firmware-help.txt"), Cli.run("firmware", "--help").out);
        assertEquals(golden("keygen-help.txt"), Cli.run("firmware", "keygen", "--help").out);
        assertTrue(Cli.run("--help").out.contains("firmware"));

        Cli missing = Cli.run("firmware");
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("a firmware command is missing"), missing.err);
        assertEquals(2, Cli.run("firmware", "keygen").exitCode);
        assertEquals(2, Cli.run("firmware", "pack", "--jar", "x.jar").exitCode);
        assertEquals(2, Cli.run("firmware", "verify", "x.cbfw").exitCode);
        assertEquals(2, Cli.run("firmware", "upload", "--hub", hub.url(), "x.cbfw").exitCode);
        assertEquals(2, Cli.run("firmware", "status", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--wait").exitCode);
        assertEquals(List.of(), hub.requests());
    }

    // ------------------------------------------------------------------ helpers

    /** {@code DIR/keys/NAME.key} and {@code .pub}; the folder. */
    private Path keygen(String name) {
        Path keys = dir.resolve("keys");
        Cli cli = Cli.run("firmware", "keygen", "--out", keys.toString(), "--name", name);
        assertEquals(0, cli.exitCode, cli.toString());
        return keys;
    }

    /** A key pair of its own (a real random source), its public key in base64. */
    private String keygenBase64(String name) {
        Cli cli = Cli.run(new java.security.SecureRandom(), "firmware", "keygen", "--out",
                dir.resolve("keys").toString(), "--name", name);
        assertEquals(0, cli.exitCode, cli.toString());
        return cli.lastLine();
    }

    private Path pack(Path key, Path jar, Path out) {
        Cli cli = packCli(key, jar, out);
        assertEquals(0, cli.exitCode, cli.toString());
        return out;
    }

    private static Cli packCli(Path key, Path jar, Path out) {
        return Cli.run("firmware", "pack", "--key", key.toString(), "--jar", jar.toString(), "--out", out.toString());
    }

    private Cli upload(Path file) {
        return Cli.run("firmware", "upload", "--hub", hub.url(), "--admin-password-file", password.toString(),
                file.toString());
    }

    /** A small jar, the same bytes every run; a null version or main class leaves that attribute out. */
    private Path jar(String version, String mainClass) throws IOException {
        StringBuilder manifest = new StringBuilder("Manifest-Version: 1.0\r\n");
        if (mainClass != null) {
            manifest.append("Main-Class: ").append(mainClass).append("\r\n");
        }
        if (version != null) {
            manifest.append("Implementation-Version: ").append(version).append("\r\n");
        }
        manifest.append("\r\n");
        Path jar = dir.resolve("jars/" + version + "-" + mainClass + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "META-INF/MANIFEST.MF", manifest.toString().getBytes(StandardCharsets.UTF_8));
            entry(zip, "Main.class", "not really a class".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** Stored, not deflated, with a local time: the same bytes whatever the zlib and the time zone. */
    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(java.time.LocalDateTime.of(2026, 11, 1, 12, 0));
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static String golden(String name) throws IOException {
        return BoxCommandsTest.golden("firmware/" + name);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
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
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
