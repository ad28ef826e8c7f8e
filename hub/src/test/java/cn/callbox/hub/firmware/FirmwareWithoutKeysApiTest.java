package cn.callbox.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.protocol.firmware.FirmwareKeys;

/** A hub with no {@code callbox.firmware.trusted-keys} takes no package, and says which setting is missing. */
@SpringBootTest(classes = FirmwareWithoutKeysApiTest.Slice.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:firmware-no-keys-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + FirmwareWithoutKeysApiTest.ADMIN_PASSWORD })
class FirmwareWithoutKeysApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-firmware-no-keys";

    /** Not a {@code @Configuration}: other tests' scans must not pick it up; only this part of the firmware package. */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = HubProperties.class,
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    @Import({ FirmwareConfiguration.class, FirmwareController.class, FirmwareDownloadController.class,
            FirmwareProblems.class })
    static class Slice {
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "firmware-no-keys-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HubProperties hub;

    @Autowired
    FirmwareProperties firmware;

    @Test
    void an_upload_is_refused_naming_the_setting_and_nothing_is_kept() throws Exception {
        KeyPair key = FirmwareKeys.generate();
        HubApi api = HubApi.at(port, ADMIN_PASSWORD);
        assertThat(firmware.trustedKeys()).isEmpty();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/firmware"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestPackages.edge(key, "1.0.0",
                        TestPackages.payload(1000))))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", HubApi.basic("admin", ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        JsonNode problem = api.problem(answer, 422, "firmware-refused");
        assertThat(problem.path("reason").asText()).isEqualTo("untrusted");
        assertThat(problem.path("detail").asText()).contains("callbox.firmware.trusted-keys");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM firmware_package").query(Long.class).single()).isZero();
        Path folder = hub.dataDir().resolve("firmware");
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.toList()).as("no file left").isEmpty();
            }
        }
    }
}
