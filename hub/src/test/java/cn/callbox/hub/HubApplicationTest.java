package cn.callbox.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.protocol.config.DeviceConfigKeys;

/**
 * Smoke test: the whole hub starts with the demo profile on random ports and a fresh data dir, serves the API to the
 * generated admin and writes the demo boxes' configs with the LwM2M port it actually got. On the default H2 database;
 * {@link PostgresHubApplicationTest} runs it on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.port=0", "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1", "callbox.mqtt.port=0" })
@ActiveProfiles("demo")
class HubApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("callbox.data-dir", () -> dataDir.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpoint deviceEndpoint;

    @Test
    void the_hub_starts_serves_the_api_and_writes_the_demo_box_configs() throws Exception {
        HttpResponse<String> response = getAsAdmin("/api/callboxes");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"endpoint\":\"hs-houshan-01\"", "后山场镇集市");

        int lwm2mPort = deviceEndpoint.secureUri().getPort();
        assertThat(lwm2mPort).isPositive();
        Path config = dataDir.resolve("demo/hs-houshan-01.properties");
        assertThat(config).exists();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        assertThat(URI.create(properties.getProperty(DeviceConfigKeys.HUB_URI)).getPort()).isEqualTo(lwm2mPort);
        assertThat(dataDir.resolve("demo-member-credentials.properties")).exists();
    }

    /**
     * Every feature answers a body that is not JSON the same way, in the whole application (where Spring Boot's own
     * problem-details advice competes for the exception), and nothing is created.
     */
    @ParameterizedTest
    @CsvSource({ "POST, /api/incidents/INC-1/acks", "POST, /api/drills", "POST, /api/announcements",
            "PUT, /api/units/hs-houshan/roster", "POST, /api/units", "POST, /api/units/hs-houshan/trainings",
            "POST, /api/rectifications/R-1/rectify", "POST, /api/callboxes", "POST, /api/firmware/rollouts",
            "POST, /api/users", "POST, /api/callboxes/hs-houshan-01/actions" })
    void a_body_that_is_not_json_is_a_malformed_body_problem_everywhere(String method, String path) throws Exception {
        String boxesBefore = getAsAdmin("/api/callboxes").body();

        HttpResponse<String> chinese = sendAsAdmin(method, path, "{not json", "zh-CN");
        HttpResponse<String> english = sendAsAdmin(method, path, "", "en");

        assertThat(chinese.statusCode()).as(chinese.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(chinese.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:malformed-body");
        assertThat(problem.path("title").asText()).isEqualTo("请求内容格式错误");
        assertThat(english.statusCode()).as(english.body()).isEqualTo(400);
        assertThat(JSON.readTree(english.body()).path("title").asText()).isEqualTo("Malformed request body");
        assertThat(getAsAdmin("/api/callboxes").body()).isEqualTo(boxesBefore);
    }

    /** GET on the hub's API as the generated admin. */
    HttpResponse<String> getAsAdmin(String path) throws Exception {
        return HttpClient.newHttpClient().send(asAdmin(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendAsAdmin(String method, String path, String json, String language)
            throws Exception {
        return HttpClient.newHttpClient().send(asAdmin(path).header("Content-Type", "application/json")
                .header("Accept-Language", language).method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder asAdmin(String path) throws Exception {
        String password = Files.readString(dataDir.resolve("initial-admin-password")).trim();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
    }
}
