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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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

    /** GET on the hub's API as the generated admin. */
    HttpResponse<String> getAsAdmin(String path) throws Exception {
        String password = Files.readString(dataDir.resolve("initial-admin-password")).trim();
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
