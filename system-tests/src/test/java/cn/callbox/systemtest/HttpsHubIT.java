package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hub (with the demo township) served over HTTPS exactly as docs/packaging.md ("HTTPS for the console and the
 * API") sets it up: a self-signed certificate made by openssl, the Spring Boot SSL bundle settings, and
 * callbox-provision trusting it with {@code --hub-ca}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsHubIT {

    private Path work;
    private Path certificate;
    private JavaProcess hub;
    private int port;

    @BeforeAll
    void start_the_hub_over_https() throws Exception {
        work = Files.createTempDirectory("callbox-https-");
        certificate = work.resolve("hub.crt");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
                "30", "-subj", "/CN=callbox-hub", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                work.resolve("hub.key").toString(), "-out", certificate.toString());
        port = FreePorts.tcp();
        hub = new JavaProcess("hub-https", Path.of(System.getProperty("callbox.hub.jar")),
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
                List.of("--spring.profiles.active=demo", "--server.port=" + port, "--callbox.lwm2m.port=" + FreePorts.udp(),
                        "--callbox.mqtt.port=" + FreePorts.tcp(), "--callbox.data-dir=" + work.resolve("data"),
                        "--spring.ssl.bundle.pem.hub.keystore.certificate=file:" + certificate,
                        "--spring.ssl.bundle.pem.hub.keystore.private-key=file:" + work.resolve("hub.key"),
                        "--server.ssl.bundle=hub")).start();
        Await.until("the hub answers over HTTPS (log " + hub.log() + ")", Duration.ofSeconds(120), () -> {
            if (!hub.isAlive()) {
                throw new AssertionError("the hub exited:\n" + HubProcess.tail(hub.output()));
            }
            // a port that takes connections first: each try of the command line is a JVM start
            return Files.isRegularFile(passwordFile()) && listening()
                    && list("--hub-ca", certificate.toString()).exit() == 0;
        });
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void provisioning_trusts_the_hub_only_with_its_certificate() {
        ProvisionCli.Result trusted = list("--hub-ca", certificate.toString());
        assertEquals(0, trusted.exit(), trusted.toString());
        assertTrue(trusted.out().contains("hs-houshan-01"), "the demo township's boxes: " + trusted.out());

        ProvisionCli.Result untrusted = list();
        assertEquals(3, untrusted.exit(), untrusted.toString());
        assertTrue(untrusted.err().contains("is not trusted"), untrusted.err());
    }

    @Test
    void a_box_enrolled_over_https_trusts_the_hub_for_its_firmware_downloads() throws IOException {
        Path bundles = work.resolve("bundles");
        ProvisionCli.Result enrolled = ProvisionCli.run("box", "new", "--hub", "https://127.0.0.1:" + port,
                "--hub-ca", certificate.toString(), "--admin-password-file", passwordFile().toString(), "--out",
                bundles.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.75", "--lon", "108.41");
        assertEquals(0, enrolled.exit(), enrolled.toString());

        Properties bundle = new Properties();
        try (var reader = Files.newBufferedReader(bundles.resolve(enrolled.lastLine() + ".properties"))) {
            bundle.load(reader);
        }
        String der = bundle.getProperty("firmware.download-ca");
        assertEquals(run("sh", "-c", "openssl x509 -in '" + certificate + "' -outform der | base64 -w0").strip(), der,
                "the bundle carries the certificate as docs/packaging.md tells to add it by hand");
    }

    private ProvisionCli.Result list(String... extra) {
        List<String> args = new ArrayList<>(List.of("box", "list", "--hub", "https://127.0.0.1:" + port,
                "--admin-password-file", passwordFile().toString()));
        args.addAll(List.of(extra));
        return ProvisionCli.run(args.toArray(String[]::new));
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path passwordFile() {
        return work.resolve("data/initial-admin-password");
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes());
            String err = new String(process.getErrorStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
            assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + err);
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
