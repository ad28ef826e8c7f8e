package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

/** The HTTP download alone, against a real HTTP server on loopback; what the bytes mean is not its business. */
class FirmwareDownloadTest {

    @TempDir
    Path folder;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final FirmwareDownload download = new FirmwareDownload(Duration.ofSeconds(20), List.of());
    private byte[] body;

    @BeforeEach
    void serve() throws IOException {
        body = new byte[200_000];
        new Random(11).nextBytes(body);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/package.cbfw", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved.cbfw", exchange -> {
            exchange.getResponseHeaders().add("Location", "/package.cbfw");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/missing.cbfw", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/huge.cbfw", exchange -> {
            // announces more than a package may be, then holds the connection: the client must refuse on the header
            exchange.sendResponseHeaders(200, FirmwareDownload.MAX_PACKAGE + 1);
            awaitRelease();
            exchange.close();
        });
        server.createContext("/slow.cbfw", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, 1000);
                out.flush();
                slowStarted.countDown();
                awaitRelease();
                out.write(body, 1000, body.length - 1000);
            } catch (IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private Path file() {
        return folder.resolve("package.cbfw.part");
    }

    @Test
    void the_whole_body_is_written_to_the_file() throws Exception {
        download.fetch(uri("/package.cbfw"), file());
        assertArrayEquals(body, Files.readAllBytes(file()));
    }

    @Test
    void a_redirect_is_followed() throws Exception {
        download.fetch(uri("/moved.cbfw"), file());
        assertArrayEquals(body, Files.readAllBytes(file()));
    }

    @Test
    void an_http_error_is_a_lost_connection_and_writes_no_file() {
        UpdateFailure failure = assertThrows(UpdateFailure.class, () -> download.fetch(uri("/missing.cbfw"), file()));
        assertEquals(Result.CONNECTION_LOST, failure.result());
        assertEquals("HTTP 404 from http://127.0.0.1:" + server.getAddress().getPort(), failure.getMessage(),
                "the origin only: the path may hold a download token");
        assertFalse(Files.exists(file()));
    }

    @Test
    void a_body_announced_larger_than_a_package_may_be_is_an_unsupported_package() {
        UpdateFailure failure = assertThrows(UpdateFailure.class, () -> download.fetch(uri("/huge.cbfw"), file()));
        assertEquals(Result.UNSUPPORTED_PACKAGE, failure.result());
        assertFalse(Files.exists(file()), "refused before anything is written");
    }

    @Test
    void interrupting_the_calling_thread_drops_a_download_midway() throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                download.fetch(uri("/slow.cbfw"), file());
                ended.set(new AssertionError("the download finished"));
            } catch (UpdateFailure | InterruptedException | RuntimeException e) {
                ended.set(e);
            }
        }, "download-test");
        caller.start();
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS));

        caller.interrupt();

        caller.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(caller.isAlive(), "the interrupt aborts the download before the body is complete");
        assertInstanceOf(InterruptedException.class, ended.get());
    }

    @Test
    void only_hierarchical_http_and_https_uris_with_a_host_are_targets() throws Exception {
        assertEquals(URI.create("https://hub.example:8443/fw/1?token=x"),
                FirmwareDownload.target("https://hub.example:8443/fw/1?token=x"));
        assertEquals(URI.create("HTTP://127.0.0.1/fw"), FirmwareDownload.target("HTTP://127.0.0.1/fw"));

        assertEquals(Result.UNSUPPORTED_PROTOCOL, refused("ftp://127.0.0.1/good.cbfw"));
        assertEquals(Result.UNSUPPORTED_PROTOCOL, refused("coap://127.0.0.1:5683/fw"));
        assertEquals(Result.INVALID_URI, refused("not a uri at all"));
        assertEquals(Result.INVALID_URI, refused("http://"));
        assertEquals(Result.INVALID_URI, refused("/relative/good.cbfw"));
        assertEquals(Result.INVALID_URI, refused("mailto:ops@example.org"));
        assertEquals(Result.INVALID_URI, refused("http:///good.cbfw"));
    }

    /** A hub with a self-signed certificate: trusted only when the box's config carries it. */
    @Test
    void https_from_a_self_signed_hub_needs_its_certificate_in_the_config() throws Exception {
        Path store = folder.resolve("hub.p12");
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=hub",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "test-store-only");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "test-store-only".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "test-store-only".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/package.cbfw", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        try {
            URI target = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/package.cbfw");
            X509Certificate hub = (X509Certificate) keys.getCertificate("hub");

            UpdateFailure untrusted = assertThrows(UpdateFailure.class, () -> download.fetch(target, file()));
            assertEquals(Result.CONNECTION_LOST, untrusted.result());

            new FirmwareDownload(Duration.ofSeconds(20), List.of(hub)).fetch(target, file());
            assertArrayEquals(body, Files.readAllBytes(file()));
        } finally {
            https.stop(0);
        }
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

    private static Result refused(String text) {
        return assertThrows(UpdateFailure.class, () -> FirmwareDownload.target(text), text).result();
    }
}
