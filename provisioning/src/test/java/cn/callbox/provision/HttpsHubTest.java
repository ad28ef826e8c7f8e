package cn.callbox.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.config.DeviceConfigLoader;

/**
 * The command line against a hub served over HTTPS with a self-signed certificate (made by the JDK's keytool, as an
 * installer's openssl would): trusted with {@code --hub-ca}, refused without it before the password is sent.
 */
class HttpsHubTest {

    private static final char[] STORE_PASSWORD = "test-store-only".toCharArray();

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    private static SSLContext serverTls;
    private FakeHub hub;
    private Path password;

    @BeforeAll
    static void certificates() throws Exception {
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=callbox-hub", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keys.resolve("hub.p12").toString(), "-storepass", new String(STORE_PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", keys.resolve("hub.p12").toString(),
                "-storepass", new String(STORE_PASSWORD), "-file", keys.resolve("hub.crt").toString());
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=somebody-else", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keys.resolve("other.p12").toString(), "-storepass", new String(STORE_PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", keys.resolve("other.p12").toString(),
                "-storepass", new String(STORE_PASSWORD), "-file", keys.resolve("other.crt").toString());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("hub.p12"))) {
            store.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, STORE_PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.https(serverTls);
        hub.answer("GET /api/callboxes", 200, "[]");
        password = dir.resolve("admin-password");
        Files.writeString(password, "s3cret-pw\n");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void a_hub_with_its_own_certificate_is_trusted_with_hub_ca() {
        Cli cli = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--hub-ca", keys.resolve("hub.crt").toString());

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("0 call boxes", cli.lastLine());
        assertEquals(1, hub.requests().size());
        assertEquals("", cli.err, "no warning over https");
    }

    @Test
    void an_untrusted_certificate_stops_the_call_before_the_password_is_sent() {
        Cli systemTrust = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file", password.toString());
        Cli otherCertificate = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file",
                password.toString(), "--hub-ca", keys.resolve("other.crt").toString());

        for (Cli cli : List.of(systemTrust, otherCertificate)) {
            assertEquals(3, cli.exitCode, cli.toString());
            assertTrue(cli.err.contains("is not trusted") && cli.err.contains("--hub-ca FILE"), cli.err);
            assertFalse(cli.err.contains("s3cret"), cli.err);
        }
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void box_new_takes_hub_ca_too_and_puts_the_certificate_into_the_bundle() throws Exception {
        hub.answer("POST /api/callboxes", 201, BoxCommandsTest.ENROLLED.replace("cb-aebagbaf", "cb-tls"));

        Cli cli = Cli.run("box", "new", "--hub", hub.url(), "--admin-password-file", password.toString(), "--hub-ca",
                keys.resolve("hub.crt").toString(), "--out", dir.resolve("bundles").toString(), "--village", "后山村",
                "--point", "集市", "--lat", "30.75", "--lon", "108.41", "--endpoint", "cb-tls");

        assertEquals(0, cli.exitCode, cli.toString());
        // the box trusts the same certificate for its firmware downloads from the hub, and takes the bundle as it is
        Path bundle = dir.resolve("bundles/cb-tls.properties");
        DeviceConfig config = DeviceConfigLoader.load(bundle);
        assertEquals(HubTrust.certificates(keys.resolve("hub.crt")), config.firmwareDownloadCas());
    }

    @Test
    void an_exported_bundle_trusts_the_hub_certificate_too() throws Exception {
        Cli cli = Cli.run("box", "new", "--export", dir.resolve("cb-late.json").toString(), "--hub-uri",
                "coaps://10.0.0.5:5684", "--hub-ca", keys.resolve("hub.crt").toString(), "--out", dir.toString(),
                "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41", "--endpoint", "cb-late");

        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(List.of(), hub.requests());
        assertEquals(HubTrust.certificates(keys.resolve("hub.crt")),
                DeviceConfigLoader.load(dir.resolve("cb-late.properties")).firmwareDownloadCas());
    }

    @Test
    void a_wrong_hub_ca_is_a_usage_error() throws IOException {
        Path notACertificate = dir.resolve("hub.key");
        Files.writeString(notACertificate, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        Cli garbage = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--hub-ca", notACertificate.toString());
        Cli missing = Cli.run("box", "list", "--hub", hub.url(), "--admin-password-file", password.toString(),
                "--hub-ca", dir.resolve("none.crt").toString());
        Cli plainHttp = Cli.run("box", "list", "--hub", "http://127.0.0.1:9", "--admin-password-file",
                password.toString(), "--hub-ca", keys.resolve("hub.crt").toString());

        assertEquals(2, garbage.exitCode, garbage.toString());
        assertTrue(garbage.err.contains("holds no certificate"), garbage.err);
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("does not exist"), missing.err);
        Cli exported = Cli.run("box", "new", "--export", dir.resolve("cb-x.json").toString(), "--hub-uri",
                "coaps://10.0.0.5:5684", "--hub-ca", notACertificate.toString(), "--out", dir.toString(),
                "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41", "--endpoint", "cb-x");
        assertEquals(2, exported.exitCode, exported.toString());
        assertFalse(Files.exists(dir.resolve("cb-x.json")), "nothing exported with a wrong --hub-ca");
        assertEquals(2, plainHttp.exitCode, plainHttp.toString());
        assertTrue(plainHttp.err.contains("--hub-ca is for an https:// hub"), plainHttp.err);
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void plain_http_to_another_machine_is_warned_about() {
        // 0.0.0.0 is not a loopback name but reaches this machine: refused at once, nothing listens on port 9
        Cli remote = Cli.run("box", "list", "--hub", "http://0.0.0.0:9", "--admin-password-file",
                password.toString());
        Cli local = Cli.run("box", "list", "--hub", "http://127.0.0.1:9", "--admin-password-file",
                password.toString());

        assertEquals(3, remote.exitCode, remote.toString());
        assertTrue(remote.err.contains("warning: over http:// the admin password and the box keys cross the network "
                + "unencrypted"), remote.err);
        assertEquals(3, local.exitCode, local.toString());
        assertFalse(local.err.contains("warning"), local.err);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool hangs");
        assertEquals(0, process.exitValue(), "keytool " + command + ":\n" + output);
    }
}
