package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import cn.callbox.device.time.ManualScheduler;
import cn.callbox.device.time.ManualScheduler.ManualClock;

import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.State;

/** The object 5 state machine against a real HTTP server on loopback, with real signed packages. */
class FirmwareUpdaterTest {

    private static final KeyPair TRUSTED = FirmwareKeys.generate();
    private static final KeyPair STRANGER = FirmwareKeys.generate();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration WINDOW = Duration.ofMinutes(10);

    @TempDir
    Path folder;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicBoolean sirenSounding = new AtomicBoolean();
    private final AtomicInteger changes = new AtomicInteger();
    private byte[] payload;
    private FirmwareUpdater updater;
    private final ManualClock clock = new ManualScheduler(Instant.parse("2026-11-01T08:00:00Z")).manualClock();
    /** What the wrapper says in CALLBOX_ROLLBACK_FAILED; null: nothing */
    private String rollbackFailed;

    @BeforeEach
    void serve() throws IOException {
        payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        Path jar = folder.resolve("callbox-edge.jar");
        Files.write(jar, payload);
        byte[] good = pack(FirmwarePackage.EDGE_FIRMWARE, "0.2.0", jar, TRUSTED.getPrivate());
        byte[] tampered = good.clone();
        tampered[tampered.length - 10] ^= 0x01;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        serveBytes("/good.cbfw", good);
        serveBytes("/newer.cbfw", pack(FirmwarePackage.EDGE_FIRMWARE, "0.3.0", jar, TRUSTED.getPrivate()));
        serveBytes("/wrong-key.cbfw", pack(FirmwarePackage.EDGE_FIRMWARE, "0.2.0", jar, STRANGER.getPrivate()));
        serveBytes("/tampered.cbfw", tampered);
        serveBytes("/hub.cbfw", pack("callbox-hub", "0.2.0", jar, TRUSTED.getPrivate()));
        serveBytes("/firmware.zip", zip());
        server.createContext("/missing.cbfw", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/slow.cbfw", exchange -> {
            exchange.sendResponseHeaders(200, good.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(good, 0, 1000);
                body.flush();
                slowStarted.countDown();
                slowRelease.await(30, TimeUnit.SECONDS);
                body.write(good, 1000, good.length - 1000);
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        if (updater != null) {
            updater.close();
        }
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void serveBytes(String path, byte[] bytes) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        });
    }

    private static byte[] pack(String name, String version, Path jar, PrivateKey key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FirmwarePackage.write(name, version, jar, key, Instant.parse("2026-11-01T08:00:00Z"), out);
        return out.toByteArray();
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("callbox-edge.jar"));
            zip.write("not a package".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Path dir() {
        return folder.resolve("firmware");
    }

    private FirmwareUpdater givenUpdater(List<PublicKey> trusted, Duration downloadTimeout) {
        updater = new FirmwareUpdater(dir(), trusted, List.of(), downloadTimeout, sirenSounding::get,
                Duration.ofSeconds(10), Duration.ofMillis(20), restarts::incrementAndGet, "0.1.0", WINDOW, clock,
                rollbackFailed);
        updater.onChange(changes::incrementAndGet);
        return updater;
    }

    private FirmwareUpdater givenUpdater() {
        return givenUpdater(List.of(TRUSTED.getPublic()), Duration.ofSeconds(20));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private void awaitIdleWith(Result expected) throws InterruptedException {
        await("idle", () -> updater.status().state() == State.IDLE);
        assertEquals(expected, updater.status().result());
    }

    private boolean downloadFolderEmpty() {
        try (var files = Files.list(dir().resolve("download"))) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return !Files.exists(dir().resolve("download"));
        }
    }

    @Test
    void a_good_package_is_downloaded_then_installed_and_the_firmware_restarts_into_it() throws Exception {
        givenUpdater();
        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.INITIAL, "", "", ""), updater.status());

        assertEquals(Optional.empty(), updater.packageUri(url("/good.cbfw")));
        assertTrue(List.of(State.DOWNLOADING, State.DOWNLOADED).contains(updater.status().state()));
        assertEquals(Result.INITIAL, updater.status().result(), "no stale result after the write");

        await("downloaded", () -> updater.status().state() == State.DOWNLOADED);
        FirmwareUpdater.Status downloaded = updater.status();
        assertEquals(Result.INITIAL, downloaded.result());
        assertEquals("callbox-edge", downloaded.packageName());
        assertEquals("0.2.0", downloaded.packageVersion());
        assertArrayEquals(payload, Files.readAllBytes(dir().resolve("download/callbox-edge.jar.part")));
        assertFalse(Files.exists(dir().resolve("download/package.cbfw.part")));
        // observers are told after the state changed, outside the updater's lock: wait for them, do not race them
        await("observers told of DOWNLOADING and DOWNLOADED", () -> changes.get() >= 2);

        assertEquals(Optional.empty(), updater.update());
        assertEquals(State.UPDATING, updater.status().state());
        await("restarted", () -> restarts.get() == 1);

        assertEquals("a", Files.readSymbolicLink(dir().resolve("current")).toString());
        assertArrayEquals(payload, Files.readAllBytes(dir().resolve("a/callbox-edge.jar")));
        assertTrue(Files.readString(dir().resolve("trial")).contains("slot=a\nprevious=factory\nversion=0.2.0"));
        assertEquals(State.UPDATING, updater.status().state());

        // the service manager starts the wrapper, which starts the new slot
        updater.close();
        updater = givenUpdater();
        assertEquals("0.2.0", updater.runningVersion());
        assertEquals(new FirmwareUpdater.Status(State.UPDATING, Result.INITIAL, "callbox-edge", "0.2.0", ""),
                updater.status(), "on trial until it registers");

        updater.registered();
        updater.heartbeat();
        assertEquals(State.UPDATING, updater.status().state(), "registering alone does not confirm it");
        assertTrue(Files.exists(dir().resolve("trial")));
        clock.advance(WINDOW);
        updater.heartbeat();

        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.SUCCESS, "callbox-edge", "0.2.0", ""),
                updater.status());
        assertFalse(Files.exists(dir().resolve("trial")));
        assertEquals("1\ninstalled 0.2.0\n", Files.readString(dir().resolve("update-result")));

        updater.close();
        updater = givenUpdater();
        assertEquals(Result.SUCCESS, updater.status().result(), "the result survives a restart");
        assertEquals(State.IDLE, updater.status().state());
    }

    @Test
    void an_installed_firmware_waits_for_a_sounding_siren_before_it_restarts() throws Exception {
        givenUpdater();
        updater.packageUri(url("/good.cbfw"));
        await("downloaded", () -> updater.status().state() == State.DOWNLOADED);
        sirenSounding.set(true);

        updater.update();

        await("installed", () -> Files.isSymbolicLink(dir().resolve("current")));
        TimeUnit.MILLISECONDS.sleep(300);
        assertEquals(0, restarts.get(), "an alarm beats an update");
        sirenSounding.set(false);
        await("restarted", () -> restarts.get() == 1);
    }

    @Test
    void a_package_signed_by_an_untrusted_key_is_refused_and_nothing_is_installed() throws Exception {
        givenUpdater();
        updater.packageUri(url("/wrong-key.cbfw"));

        awaitIdleWith(Result.INTEGRITY_CHECK_FAILED);
        assertFalse(Files.exists(dir().resolve("a")));
        assertFalse(Files.exists(dir().resolve("current")));
        assertTrue(downloadFolderEmpty());
        assertTrue(updater.update().isPresent(), "nothing to install");
    }

    @Test
    void no_trusted_key_refuses_every_package() throws Exception {
        givenUpdater(List.of(), Duration.ofSeconds(20));
        updater.packageUri(url("/good.cbfw"));
        awaitIdleWith(Result.INTEGRITY_CHECK_FAILED);
    }

    @Test
    void a_tampered_byte_fails_the_integrity_check() throws Exception {
        givenUpdater();
        updater.packageUri(url("/tampered.cbfw"));
        awaitIdleWith(Result.INTEGRITY_CHECK_FAILED);
        assertTrue(downloadFolderEmpty(), "the unverified jar is not kept");
    }

    @Test
    void a_zip_or_another_firmware_is_an_unsupported_package() throws Exception {
        givenUpdater();
        updater.packageUri(url("/firmware.zip"));
        awaitIdleWith(Result.UNSUPPORTED_PACKAGE);

        updater.packageUri(url("/hub.cbfw"));
        awaitIdleWith(Result.UNSUPPORTED_PACKAGE);
        assertFalse(Files.exists(dir().resolve("current")));
    }

    @Test
    void an_http_error_is_a_lost_connection() throws Exception {
        givenUpdater();
        updater.packageUri(url("/missing.cbfw"));
        awaitIdleWith(Result.CONNECTION_LOST);
    }

    @Test
    void other_schemes_are_unsupported_protocols_and_garbage_is_an_invalid_uri() {
        givenUpdater();
        updater.packageUri("ftp://127.0.0.1/good.cbfw");
        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.UNSUPPORTED_PROTOCOL, "", "",
                "ftp://127.0.0.1/good.cbfw"), updater.status(), "at once, before the write is answered");
        updater.packageUri("coap://127.0.0.1:5683/fw");
        assertEquals(Result.UNSUPPORTED_PROTOCOL, updater.status().result());
        updater.packageUri("not a uri at all");
        assertEquals(Result.INVALID_URI, updater.status().result());
        updater.packageUri("http://");
        assertEquals(Result.INVALID_URI, updater.status().result());
        assertEquals(State.IDLE, updater.status().state());
    }

    @Test
    void cancel_during_a_download_stops_it_and_removes_its_files() throws Exception {
        givenUpdater();
        updater.packageUri(url("/slow.cbfw"));
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
        await("part file written", () -> Files.exists(dir().resolve("download/package.cbfw.part")));

        assertEquals(Optional.empty(), updater.cancel());

        assertEquals(State.IDLE, updater.status().state());
        assertEquals(Result.CANCELLED, updater.status().result());
        await("files removed", this::downloadFolderEmpty);
        slowRelease.countDown();
        TimeUnit.MILLISECONDS.sleep(200);
        assertEquals(Result.CANCELLED, updater.status().result(), "the dropped download reports nothing");
        assertTrue(updater.cancel().isPresent(), "nothing left to cancel");
    }

    @Test
    void an_empty_uri_resets_and_a_new_uri_restarts_the_download() throws Exception {
        givenUpdater();
        updater.packageUri(url("/slow.cbfw"));
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS));

        updater.packageUri("");
        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.INITIAL, "", "", ""), updater.status());

        updater.packageUri(url("/slow.cbfw"));
        updater.packageUri(url("/newer.cbfw"));
        await("downloaded", () -> updater.status().state() == State.DOWNLOADED);
        assertEquals("0.3.0", updater.status().packageVersion(), "the last URI wins");
        assertArrayEquals(payload, Files.readAllBytes(dir().resolve("download/callbox-edge.jar.part")));

        assertEquals(Optional.empty(), updater.cancel(), "a downloaded package can be dropped too");
        await("files removed", this::downloadFolderEmpty);
        assertEquals(Result.CANCELLED, updater.status().result());
    }

    @Test
    void a_download_that_takes_too_long_is_a_lost_connection() throws Exception {
        givenUpdater(List.of(TRUSTED.getPublic()), Duration.ofMillis(700));
        updater.packageUri(url("/slow.cbfw"));
        awaitIdleWith(Result.CONNECTION_LOST);
        await("files removed", this::downloadFolderEmpty);
    }

    @Test
    void without_a_firmware_folder_every_uri_ends_at_once_with_update_failed() {
        updater = new FirmwareUpdater(null, List.of(TRUSTED.getPublic()), List.of(), Duration.ofSeconds(5),
                () -> false, restarts::incrementAndGet, "0.1.0");
        assertFalse(updater.canInstall());

        assertEquals(Optional.empty(), updater.packageUri(url("/good.cbfw")));

        assertEquals(State.IDLE, updater.status().state());
        assertEquals(Result.UPDATE_FAILED, updater.status().result());
        assertEquals("0.1.0", updater.runningVersion());
    }

    @Test
    void a_rollback_by_the_wrapper_shows_as_update_failed_after_the_restart() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("update-result"), "8\nrolled back 0.2.0: not registered within 300 s\n");
        givenUpdater();
        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.UPDATE_FAILED, "", "", ""), updater.status());
    }

    @Test
    void a_trial_interrupted_before_current_switched_is_reported_at_start() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("trial"), "slot=a\nprevious=factory\nversion=0.2.0\n");
        givenUpdater();
        assertEquals(State.IDLE, updater.status().state());
        assertEquals(Result.UPDATE_FAILED, updater.status().result());
        assertFalse(Files.exists(dir().resolve("trial")));
    }

    /** 0.2.0 installed into slot a over the factory jar and restarted into: on trial. */
    private void givenNewFirmwareOnTrial() throws IOException {
        Path slot = Files.createDirectories(dir().resolve("a"));
        Files.writeString(slot.resolve("callbox-edge.jar"), "jar 0.2.0");
        Files.writeString(slot.resolve("manifest.properties"), "name=callbox-edge\nversion=0.2.0\n");
        Files.createSymbolicLink(dir().resolve("current"), Path.of("a"));
        Files.writeString(dir().resolve("trial"), "slot=a\nprevious=factory\nversion=0.2.0\n");
        Files.writeString(dir().resolve("trial-starts"), "1\n");
    }

    @Test
    void a_new_firmware_that_registers_is_not_confirmed_before_its_healthy_window_is_over() throws Exception {
        givenNewFirmwareOnTrial();
        givenUpdater();

        updater.registered();
        clock.advance(WINDOW.minusSeconds(1));
        updater.heartbeat();

        assertEquals(new FirmwareUpdater.Status(State.UPDATING, Result.INITIAL, "callbox-edge", "0.2.0", ""),
                updater.status());
        assertTrue(Files.exists(dir().resolve("trial")), "a crash now still rolls it back");
        assertFalse(Files.exists(dir().resolve("update-result")));

        clock.advance(Duration.ofSeconds(1));
        updater.heartbeat();

        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.SUCCESS, "callbox-edge", "0.2.0", ""),
                updater.status());
        assertFalse(Files.exists(dir().resolve("trial")));
        assertFalse(Files.exists(dir().resolve("trial-starts")));
        assertEquals("1\ninstalled 0.2.0\n", Files.readString(dir().resolve("update-result")));
    }

    @Test
    void a_lost_registration_during_the_window_starts_it_again() throws Exception {
        givenNewFirmwareOnTrial();
        givenUpdater();
        updater.registered();
        clock.advance(WINDOW.minusMinutes(1));
        updater.heartbeat();

        updater.connectionLost();
        clock.advance(Duration.ofMinutes(2));
        updater.registered();
        updater.heartbeat();
        clock.advance(WINDOW.minusMinutes(1));
        updater.heartbeat();

        assertEquals(State.UPDATING, updater.status().state(), "not healthy for a whole window in one stretch");
        assertTrue(Files.exists(dir().resolve("trial")));

        clock.advance(Duration.ofMinutes(1));
        updater.heartbeat();

        assertEquals(Result.SUCCESS, updater.status().result());
        assertFalse(Files.exists(dir().resolve("trial")));
    }

    @Test
    void a_trial_the_wrapper_could_not_roll_back_reports_update_failed_and_is_never_confirmed() throws Exception {
        givenNewFirmwareOnTrial();
        rollbackFailed = "rollback of 0.2.0 failed: cannot point current back";
        givenUpdater();

        assertEquals(new FirmwareUpdater.Status(State.IDLE, Result.UPDATE_FAILED, "callbox-edge", "0.2.0", ""),
                updater.status());
        updater.registered();
        clock.advance(WINDOW.multipliedBy(2));
        updater.heartbeat();

        assertEquals(Result.UPDATE_FAILED, updater.status().result());
        assertTrue(Files.exists(dir().resolve("trial")), "the next start of the wrapper tries the rollback again");
        assertFalse(Files.exists(dir().resolve("update-result")));
    }
}
