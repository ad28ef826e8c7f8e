package cn.callbox.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import static cn.callbox.hub.testing.HubApi.fields;
import static cn.callbox.hub.testing.HubApi.ids;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;
import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackageException;

/**
 * The firmware packages the hub holds, end to end over HTTP with the hub's real security over H2 with every
 * migration: uploads checked against the one trusted key ({@link #TRUSTED}), the list, and the download boxes use
 * without an account. Packages are signed in the test as a release signer signs them.
 */
@SpringBootTest(classes = FirmwarePackageApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:firmware-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + FirmwarePackageApiTest.ADMIN_PASSWORD })
class FirmwarePackageApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-firmware";
    /** The release key the hub trusts. */
    static final KeyPair TRUSTED = FirmwareKeys.generate();
    /** A key the hub has never heard of. */
    static final KeyPair STRANGER = FirmwareKeys.generate();
    static final Instant START = Instant.parse("2026-11-29T02:00:00Z");

    /** Not a {@code @Configuration}: other tests' scans must not pick it up; only this part of the firmware package. */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = HubProperties.class,
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    @Import({ FirmwareConfiguration.class, FirmwareController.class, FirmwareDownloadController.class,
            FirmwareProblems.class })
    static class Slice {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(START);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "firmware-api-");
        registry.add("callbox.firmware.trusted-keys", () -> FirmwareKeys.toBase64(TRUSTED.getPublic()));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    FirmwareCatalog catalog;

    @Autowired
    HubProperties hub;

    @Autowired
    MutableClock clock;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private HubApi api;

    @BeforeEach
    void seed() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestTownship township = new TestTownship(jdbc);
        if (township.isEmpty()) {
            township.township("t1", "一镇", "某区").village("v1", "t1", "一村").unit("u1", "v1", "一村单元", 30.7, 108.4);
            new TestUsers(jdbc, encoder).add("disp", "dispatcher", null).add("police", "police", null)
                    .add("leader", "unit-leader", "u1");
        }
        clock.advance(Duration.ofMinutes(1));
    }

    // ------------------------------------------------------------------ upload, list, download

    @Test
    void an_uploaded_package_is_listed_and_boxes_download_its_exact_bytes_without_an_account() throws Exception {
        byte[] payload = TestPackages.payload(300_000);
        byte[] cbfw = TestPackages.edge(TRUSTED, "1.4.0", payload);

        HttpResponse<String> created = upload("admin", cbfw);

        JsonNode firmware = api.ok(created, 201);
        assertThat(fields(firmware)).containsExactly("id", "keyId", "name", "sha256", "size", "uploadedAt",
                "uploadedBy", "version");
        String id = firmware.path("id").asText();
        assertThat(id).matches("fw-[0-9A-Z]{8}");
        assertThat(firmware.path("name").asText()).isEqualTo("callbox-edge");
        assertThat(firmware.path("version").asText()).isEqualTo("1.4.0");
        assertThat(firmware.path("size").asLong()).as("the payload's, as signed").isEqualTo(payload.length);
        assertThat(firmware.path("sha256").asText()).isEqualTo(TestPackages.sha256(payload));
        assertThat(firmware.path("keyId").asText()).isEqualTo(FirmwareKeys.keyId(TRUSTED.getPublic()));
        assertThat(Instant.parse(firmware.path("uploadedAt").asText())).isEqualTo(clock.instant());
        assertThat(firmware.path("uploadedBy").asText()).isEqualTo("admin");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/firmware/" + id);

        StoredFirmware stored = catalog.find(id).orElseThrow();
        assertThat(stored.downloadToken()).matches("[0-9A-Z]{32}");
        assertThat(created.body()).as("the token is for boxes only").doesNotContain(stored.downloadToken());
        assertThat(api.ok(api.send("GET", "/api/firmware/" + id, "admin", null), 200)).isEqualTo(firmware);
        assertThat(ids(api.ok(api.send("GET", "/api/firmware", "admin", null), 200))).contains(id);
        assertThat(api.send("GET", "/api/firmware", "admin", null).body()).doesNotContain(stored.downloadToken());
        assertThat(Files.readAllBytes(firmwareDir().resolve(id + ".cbfw"))).isEqualTo(cbfw);
        assertThat(leftovers()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'firmware-upload' AND target = ? "
                + "AND actor = 'admin' AND detail LIKE ? AND detail LIKE ?").params(id, "%1.4.0%",
                        "%" + stored.keyId() + "%").query(Long.class).single()).isEqualTo(1);

        HttpResponse<byte[]> download = get(FirmwareCatalog.downloadPath(stored), null);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(cbfw);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/octet-stream"));
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(cbfw.length);
        assertThat(download.headers().firstValue("Set-Cookie")).as("no session for boxes").isEmpty();
        assertThat(FirmwarePackage.read(new ByteArrayInputStream(download.body()), List.of(TRUSTED.getPublic()),
                OutputStream.nullOutputStream()).manifest().version()).as("what a box checks").isEqualTo("1.4.0");

        HttpResponse<byte[]> rest = get(FirmwareCatalog.downloadPath(stored), "bytes=1000-");
        assertThat(rest.statusCode()).as("a box resumes a broken download").isEqualTo(206);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(cbfw, 1000, cbfw.length));
    }

    @Test
    void the_list_shows_the_newest_upload_first() throws Exception {
        String older = api.ok(upload("admin", TestPackages.edge(TRUSTED, "2.0.0", TestPackages.payload(1000))), 201)
                .path("id").asText();
        clock.advance(Duration.ofSeconds(5));
        String newer = api.ok(upload("admin", TestPackages.edge(TRUSTED, "2.0.1", TestPackages.payload(1000))), 201)
                .path("id").asText();

        List<String> listed = ids(api.ok(api.send("GET", "/api/firmware", "admin", null), 200));

        assertThat(listed).containsSubsequence(newer, older);
        assertThat(listed.get(0)).isEqualTo(newer);
    }

    // ------------------------------------------------------------------ refused packages

    @Test
    void packages_that_fail_their_checks_are_refused_with_the_reason_and_leave_no_file_and_no_row() throws Exception {
        byte[] good = TestPackages.edge(TRUSTED, "3.0.0", TestPackages.payload(5000));
        refused(TestPackages.edge(STRANGER, "3.0.0", TestPackages.payload(5000)), "untrusted");
        refused(TestPackages.flipLastByte(good), "integrity");
        refused(TestPackages.payload(4000), "malformed");
        refused(Arrays.copyOf(good, 100), "malformed");
        refused(Arrays.copyOf(good, good.length - 1), "integrity");

        JsonNode notEdge = api.problem(upload("admin", TestPackages.signed(TRUSTED, "lamp-controller", "3.0.0",
                TestPackages.payload(100))), 422, "firmware-refused");
        assertThat(notEdge.path("reason").asText()).isEqualTo("not-edge-firmware");
        assertThat(notEdge.path("detail").asText()).contains("lamp-controller");

        assertThat(held("3.0.0")).isZero();
        assertThat(leftovers()).isEmpty();
        assertThat(api.ok(upload("admin", good), 201).path("version").asText()).as("the good one still goes in")
                .isEqualTo("3.0.0");
    }

    @Test
    void a_version_is_held_once_whatever_its_bytes() throws Exception {
        byte[] first = TestPackages.edge(TRUSTED, "4.0.0", TestPackages.payload(2000));
        String id = api.ok(upload("admin", first), 201).path("id").asText();
        long files = packageFiles();

        JsonNode again = api.problem(upload("admin", first), 409, "firmware-exists");
        JsonNode rebuilt = api.problem(upload("admin", TestPackages.edge(TRUSTED, "4.0.0",
                TestPackages.payload(2000))), 409, "firmware-exists");

        assertThat(again.path("existing").asText()).isEqualTo(id);
        assertThat(rebuilt.path("detail").asText()).contains("4.0.0");
        assertThat(held("4.0.0")).isEqualTo(1);
        assertThat(packageFiles()).isEqualTo(files);
        assertThat(leftovers()).isEmpty();
        assertThat(Files.readAllBytes(firmwareDir().resolve(id + ".cbfw"))).isEqualTo(first);
    }

    @Test
    void an_upload_too_large_or_not_sent_as_octet_stream_is_refused() throws Exception {
        byte[] cbfw = TestPackages.edge(TRUSTED, "5.0.0", TestPackages.payload(1000));

        HttpResponse<String> form = http.send(HttpRequest.newBuilder(api.uri("/api/firmware"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(cbfw))
                .header("Authorization", HubApi.basic("admin", ADMIN_PASSWORD))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.problem(form, 415, "unsupported-media-type").path("detail").asText())
                .contains("application/octet-stream");

        String tooLarge = rawUploadHeaders(FirmwareStore.MAX_UPLOAD + 1);
        assertThat(tooLarge).startsWith("HTTP/1.1 413").contains("urn:callbox:problem:firmware-too-large");

        assertThat(held("5.0.0")).isZero();
        assertThat(leftovers()).isEmpty();
    }

    // ------------------------------------------------------------------ who may

    @Test
    void only_admins_see_or_upload_packages_and_a_refused_caller_stores_nothing() throws Exception {
        byte[] cbfw = TestPackages.edge(TRUSTED, "6.0.0", TestPackages.payload(1000));
        String id = api.ok(upload("admin", TestPackages.edge(TRUSTED, "6.0.1", TestPackages.payload(1000))), 201)
                .path("id").asText();

        for (String user : List.of("disp", "police", "leader")) {
            api.problem(api.send("GET", "/api/firmware", user, null), 403);
            api.problem(api.send("GET", "/api/firmware/" + id, user, null), 403);
            api.problem(upload(user, cbfw), 403);
        }
        api.problem(api.send("GET", "/api/firmware", null, null), 401);
        api.problem(api.send("GET", "/api/firmware/" + id, null, null), 401);
        api.problem(upload(null, cbfw), 401);
        api.problem(api.send("GET", "/api/firmware", "admin", "wrong-password", null), 401);

        assertThat(held("6.0.0")).isZero();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void an_unknown_package_or_download_address_is_not_found_and_nothing_but_get_downloads() throws Exception {
        String id = api.ok(upload("admin", TestPackages.edge(TRUSTED, "7.0.0", TestPackages.payload(1000))), 201)
                .path("id").asText();
        StoredFirmware stored = catalog.find(id).orElseThrow();

        api.problem(api.send("GET", "/api/firmware/fw-NOSUCH00", "admin", null), 404, "firmware-not-found");
        assertThat(catalog.find("fw-NOSUCH00")).isEmpty();
        String wrong = "0".repeat(32).equals(stored.downloadToken()) ? "1".repeat(32) : "0".repeat(32);
        for (String token : List.of(wrong, stored.downloadToken().toLowerCase(Locale.ROOT), "x", id)) {
            HttpResponse<String> missing = api.send("GET", "/firmware/download/" + token, null, null);
            api.problem(missing, 404, "firmware-not-found");
            assertThat(missing.body()).doesNotContain(stored.downloadToken());
        }

        assertThat(api.send("POST", "/firmware/download/" + stored.downloadToken(), null, null).statusCode())
                .isIn(401, 403);
        assertThat(api.send("POST", "/firmware/download/" + stored.downloadToken(), "admin", null).statusCode())
                .isIn(401, 403);
        assertThat(api.send("DELETE", "/firmware/download/" + stored.downloadToken(), "admin", null).statusCode())
                .isIn(401, 403);
        assertThat(api.send("GET", "/firmware/other", null, null).statusCode()).isIn(401, 403);
        assertThat(get(FirmwareCatalog.downloadPath(stored), null).statusCode()).as("still there").isEqualTo(200);
        assertThat(held("7.0.0")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    /** Asserts a 422 {@code firmware-refused} with the reason and, as detail, what the package check says. */
    private void refused(byte[] cbfw, String reason) throws Exception {
        JsonNode problem = api.problem(upload("admin", cbfw), 422, "firmware-refused");
        assertThat(problem.path("reason").asText()).isEqualTo(reason);
        assertThat(problem.path("detail").asText()).isEqualTo(checkMessage(cbfw));
    }

    private static String checkMessage(byte[] cbfw) throws IOException {
        try {
            FirmwarePackage.read(new ByteArrayInputStream(cbfw), List.of(TRUSTED.getPublic()),
                    OutputStream.nullOutputStream());
            throw new AssertionError("the package checks out");
        } catch (FirmwarePackageException e) {
            return e.getMessage();
        }
    }

    /** POSTs the bytes as {@code application/octet-stream}; a {@code null} user sends no credentials. */
    private HttpResponse<String> upload(String user, byte[] cbfw) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/api/firmware"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(cbfw))
                .header("Content-Type", "application/octet-stream");
        if (user != null) {
            request.header("Authorization", HubApi.basic(user, user.equals("admin") ? ADMIN_PASSWORD
                    : TestUsers.password(user)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends only the headers of an upload that announces {@code length} bytes; returns what the hub answers. */
    private String rawUploadHeaders(long length) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "POST /api/firmware HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: "
                    + HubApi.basic("admin", ADMIN_PASSWORD) + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while (!complete(answer.toString()) && (read = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
            return answer.toString();
        }
    }

    /** Whether the HTTP/1.1 answer (ASCII) holds its whole body, by Content-Length or the last chunk. */
    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher length = Pattern.compile("(?im)^Content-Length:\\s*(\\d+)").matcher(answer.substring(0, end));
        if (length.find()) {
            return answer.length() - end - 4 >= Integer.parseInt(length.group(1));
        }
        return answer.endsWith("\r\n0\r\n\r\n");
    }

    private long held(String version) {
        return jdbc.sql("SELECT COUNT(*) FROM firmware_package WHERE version = ?").param(version).query(Long.class)
                .single();
    }

    private Path firmwareDir() {
        return hub.dataDir().resolve("firmware");
    }

    private long packageFiles() throws IOException {
        try (Stream<Path> files = Files.list(firmwareDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cbfw")).count();
        }
    }

    /** Files in the firmware folder that are not a held package's. */
    private List<Path> leftovers() throws IOException {
        if (!Files.isDirectory(firmwareDir())) {
            return List.of();
        }
        List<String> held = jdbc.sql("SELECT id FROM firmware_package").query(String.class).list();
        try (Stream<Path> files = Files.list(firmwareDir())) {
            return files.filter(f -> !held.contains(f.getFileName().toString().replace(".cbfw", ""))).toList();
        }
    }
}
