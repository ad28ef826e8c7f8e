package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Provisioning from outside, as an installer does it: {@code callbox-provision box new} against a running hub writes
 * a bundle that the edge takes as it is, and the box registers over DTLS with its own key; {@code box rotate-key}
 * replaces the key (the old one stops working, the rewritten bundle works); {@code box retire} makes the hub refuse
 * the box at once. The hub, the boxes and the command line are separate processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisioningIT {

    private static final Duration ONLINE = Duration.ofSeconds(40);

    private HubProcess hub;
    private Path bundles;
    private Path outbox;
    private String endpoint;
    private final List<BoxProcess> boxes = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        hub = new HubProcess(Files.createTempDirectory("callbox-provision-hub-")).start();
        bundles = Files.createTempDirectory("callbox-bundles-");
        outbox = Files.createTempDirectory("callbox-outbox-");
    }

    @AfterAll
    void stop() {
        boxes.forEach(BoxProcess::stop);
        if (hub != null) {
            hub.stop();
        }
    }

    private String hubUrl() {
        return "http://127.0.0.1:" + hub.httpPort;
    }

    private String passwordFile() {
        return hub.dataDir.resolve("initial-admin-password").toString();
    }

    @Test
    @Order(1)
    void box_new_enrols_a_box_whose_bundle_the_edge_takes_as_it_is() throws IOException {
        ProvisionCli.Result result = ProvisionCli.run("box", "new", "--hub", hubUrl(), "--admin-password-file", passwordFile(),
                "--out", bundles.toString(), "--village", "后山村", "--point", "集市", "--lat", "30.60", "--lon",
                "108.30", "--outbox-dir", outbox.toString());
        assertEquals(0, result.exit(), result.toString());
        endpoint = result.lastLine();
        Path bundle = bundles.resolve(endpoint + ".properties");
        assertTrue(Files.isRegularFile(bundle), "bundle " + bundle + " written");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(bundle), "only its owner may read the key");
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            config.load(in);
        }
        assertEquals(endpoint, config.getProperty("endpoint"));
        assertFalse(result.out().contains(config.getProperty("psk.key")), "the key is not printed");

        BoxProcess box = startBox(bundle);
        Await.until(endpoint + " online at the hub", ONLINE, () -> hub.isOnline(endpoint));
        assertTrue(HubProcess.expectOk(hub.api().get("/api/callboxes")).contains(endpoint));
        box.stop();
    }

    @Test
    @Order(2)
    void rotate_key_refuses_the_old_key_and_the_rewritten_bundle_works() throws IOException {
        Path bundle = bundles.resolve(endpoint + ".properties");
        Path oldBundle = Files.copy(bundle, bundles.resolve("old-key.properties.keep"));
        ProvisionCli.Result result = ProvisionCli.run("box", "rotate-key", "--hub", hubUrl(), "--admin-password-file",
                passwordFile(), "--out", bundles.toString(), endpoint);
        assertEquals(0, result.exit(), result.toString());
        assertFalse(Files.readString(bundle).equals(Files.readString(oldBundle)), "the bundle has the new key");

        Path stale = bundles.resolve("stale/" + endpoint + ".properties");
        Files.createDirectories(stale.getParent());
        Files.copy(oldBundle, stale);
        BoxProcess withOldKey = startBox(stale);
        Await.holds(endpoint + " stays offline with its old key", Duration.ofSeconds(15),
                () -> !hub.isOnline(endpoint));
        withOldKey.stop();

        BoxProcess withNewKey = startBox(bundle);
        Await.until(endpoint + " online with the new key", ONLINE, () -> hub.isOnline(endpoint));
        withNewKey.stop();
    }

    @Test
    @Order(3)
    void a_retired_box_is_refused_and_leaves_the_list() {
        BoxProcess box = startBox(bundles.resolve(endpoint + ".properties"));
        Await.until(endpoint + " online before it is retired", ONLINE, () -> hub.isOnline(endpoint));

        ProvisionCli.Result result = ProvisionCli.run("box", "retire", "--hub", hubUrl(), "--admin-password-file",
                passwordFile(), endpoint);
        assertEquals(0, result.exit(), result.toString());

        Await.until(endpoint + " gone from GET /api/callboxes", Duration.ofSeconds(10),
                () -> !HubProcess.expectOk(hub.api().get("/api/callboxes")).contains(endpoint));
        box.stop();
        BoxProcess again = startBox(bundles.resolve(endpoint + ".properties"));
        Await.holds("the retired box never registers again", Duration.ofSeconds(20),
                () -> !HubProcess.expectOk(hub.api().get("/api/callboxes")).contains(endpoint)
                        && !again.registered());
        again.stop();
    }

    @Test
    @Order(4)
    void bad_input_and_an_unreachable_hub_have_their_own_exit_codes() {
        ProvisionCli.Result noPassword = ProvisionCli.run("box", "new", "--hub", hubUrl(), "--admin-password-file",
                bundles.resolve("no-such-file").toString(), "--out", bundles.toString(), "--village", "后山村",
                "--point", "集市", "--lat", "30.60", "--lon", "108.30");
        assertEquals(2, noPassword.exit(), noPassword.toString());
        ProvisionCli.Result down = ProvisionCli.run("box", "list", "--hub", "http://127.0.0.1:" + FreePorts.tcp(),
                "--admin-password-file", passwordFile());
        assertEquals(3, down.exit(), down.toString());
        ProvisionCli.Result wrong = ProvisionCli.run("box", "retire", "--hub", hubUrl(), "--admin-password-file",
                passwordFile(), "cb-never-was");
        assertEquals(1, wrong.exit(), wrong.toString());
    }

    private BoxProcess startBox(Path bundle) {
        BoxProcess box = new BoxProcess(bundle).start();
        boxes.add(box);
        return box;
    }
}
