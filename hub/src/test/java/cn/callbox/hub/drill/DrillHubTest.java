package cn.callbox.hub.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.HubApplication;
import cn.callbox.hub.incident.IncidentService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.system.PeriodicTicker;

/**
 * The drills on the whole hub (demo township, real incident service): a drill raises a drill incident, members'
 * acknowledgements, the locker's muster and the leader's on-scene report score it.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
        "server.port=0", "callbox.lwm2m.port=0", "callbox.lwm2m.address=127.0.0.1", "callbox.mqtt.port=0" })
@ActiveProfiles("demo")
class DrillHubTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("callbox.data-dir", () -> dataDir.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    TownshipDirectory directory;

    @Autowired
    IncidentService incidents;

    @Autowired
    ApplicationContext context;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void a_drill_on_the_real_alarm_path_is_scored_from_acks_muster_and_on_scene() throws Exception {
        String unit = null;
        DutyDay duty = null;
        for (TownshipDirectory.UnitInfo u : directory.units()) {
            DutyDay d = directory.duty(u.id(), LocalDate.now(DrillPlanner.ZONE));
            if (d.leaderId() != null && d.onDuty().size() >= 3) {
                unit = u.id();
                duty = d;
                break;
            }
        }
        assertThat(unit).as("a demo unit with a duty leader and 3 on duty today").isNotNull();

        HttpResponse<String> started = send("POST", "/api/drills", "{\"unit\":\"" + unit + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode drill = json.readTree(started.body());
        String id = drill.path("id").asText();
        String incidentId = drill.path("incidentId").asText();
        JsonNode incident = json.readTree(send("GET", "/api/incidents/" + incidentId, null).body());
        assertThat(incident.path("kind").asText()).isEqualTo("drill");

        List<String> others = new ArrayList<>(duty.onDuty());
        others.remove(duty.leaderId());
        for (String member : List.of(others.get(0), duty.leaderId(), others.get(1))) {
            HttpResponse<String> ack = send("POST", "/api/incidents/" + incidentId + "/acks",
                    "{\"memberId\":\"" + member + "\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        }
        JsonNode acked = json.readTree(send("GET", "/api/drills/" + id, null).body());
        assertThat(acked.path("firstAckSeconds").isNumber()).as(acked.toString()).isTrue();
        assertThat(acked.path("quorumSeconds").isNumber()).as(acked.toString()).isTrue();
        assertThat(acked.path("passed").asBoolean()).isFalse(); // the locker has not opened

        incidents.recordMuster(unit, Instant.now());
        HttpResponse<String> onScene = send("POST", "/api/incidents/" + incidentId + "/reports",
                "{\"status\":\"on-scene\",\"note\":\"到达\"}");
        assertThat(onScene.statusCode()).as(onScene.body()).isEqualTo(200);

        JsonNode scored = json.readTree(send("GET", "/api/drills/" + id, null).body());
        assertThat(scored.path("lockerOpenedSeconds").isNumber()).as(scored.toString()).isTrue();
        assertThat(scored.path("arrivalSeconds").isNumber()).as(scored.toString()).isTrue();
        assertThat(scored.path("passed").asBoolean()).isTrue();
        assertThat(scored.path("score").asInt()).isEqualTo(100);
        assertThat(scored.path("state").asText()).isEqualTo("running");

        // the auto-start is off unless asked for
        assertThat(context.getBeansOfType(PeriodicTicker.class)).doesNotContainKey("drillAutoStartTicker");
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        String password = Files.readString(dataDir.resolve("initial-admin-password")).trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
