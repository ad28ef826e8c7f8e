package cn.callbox.hub.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.supervision.SelfTestCommand.SelfTestOutcome;
import cn.callbox.hub.system.HubProperties;

/**
 * The self-test REST API served for real (security, problem details, V5 table on H2), with a fake box directory and
 * a scripted self-test command.
 */
@SpringBootTest(classes = SelfTestApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:self-test-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + SelfTestApiTest.ADMIN_PASSWORD })
class SelfTestApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-tests";
    static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties({ HubProperties.class, SupervisionProperties.class })
    @ComponentScan(basePackageClasses = { HubProperties.class, SelfTests.class })
    static class Slice {

        @Bean
        @Primary
        Clock testClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }

        @Bean
        @Primary
        TownshipDirectory fakeDirectory() {
            return new Fakes.Directory();
        }

        @Bean
        InMemoryCallBoxPresence presence() {
            InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
            }, (endpoint, door, items) -> {
            });
            presence.registered("box-1", NOW);
            return presence;
        }

        @Bean
        Fakes.SelfTestBoxes selfTestBoxes() {
            Fakes.SelfTestBoxes boxes = new Fakes.SelfTestBoxes();
            boxes.outcomes.put("box-1", new SelfTestOutcome(false, List.of("loudspeaker")));
            return boxes;
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("self-test-api-");
        registry.add("callbox.data-dir", dir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    Fakes.SelfTestBoxes boxes;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void self_test_on_request_runs_and_its_result_is_listed() throws Exception {
        HttpResponse<String> started = send("POST", "/api/callboxes/box-1/self-test");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(json.readTree(started.body()).path("requestedAt").asText()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(boxes.run).contains("box-1");
        assertThat(boxes.modes).last().isEqualTo(SelfTestCommand.Mode.SILENT);

        HttpResponse<String> listed = send("GET", "/api/callboxes/box-1/self-tests");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode first = json.readTree(listed.body()).get(0);
        assertThat(first.path("endpoint").asText()).isEqualTo("box-1");
        assertThat(first.path("at").asText()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(first.path("passed").asBoolean()).isFalse();
        assertThat(first.path("details").asText()).isEqualTo("loudspeaker");
    }

    @Test
    void an_audible_self_test_is_asked_for_explicitly() throws Exception {
        HttpResponse<String> started = send("POST", "/api/callboxes/box-1/self-test?audible=true");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(boxes.modes).last().isEqualTo(SelfTestCommand.Mode.AUDIBLE);
    }

    @Test
    void unknown_and_offline_boxes_answer_problem_details() throws Exception {
        assertProblem(send("POST", "/api/callboxes/nobody/self-test"), 404);
        assertProblem(send("GET", "/api/callboxes/nobody/self-tests"), 404);
        assertProblem(send("POST", "/api/callboxes/box-2/self-test"), 409);
        assertThat(boxes.run).doesNotContain("box-2", "nobody");
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("detail").asText()).isNotBlank();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
