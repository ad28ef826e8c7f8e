package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.mqtt.Topics;

/** The alarm path from outside: a press on a simulated box, seen at the sirens, in the REST API and on MQTT. */
@ExtendWith(DemoTownship.Shared.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first press must meet silent sirens
class AlarmPathIT {

    private static final Duration FAST = Duration.ofSeconds(10);

    private final DemoTownship township;
    private final HubProcess hub;

    AlarmPathIT(DemoTownship township) {
        this.township = township;
        this.hub = township.hub;
    }

    @Test
    @Order(1)
    void a_press_sounds_the_alerted_units_sirens_and_no_others_and_alerts_their_members_who_acknowledge() {
        BoxProcess pressed = township.boxes.get(0);
        String primaryUnit = hub.unitOf(pressed.endpoint);
        String memberId = hub.unit(primaryUnit).path("members").get(0).path("id").asText();
        try (MqttWatcher member = new MqttWatcher(hub.mqttPort, memberId, hub.memberPassword(memberId))) {
            assertTrue(member.subscribe(Topics.alerts("houshan", primaryUnit)) < 0x80, "member may read own alerts");
            int before = incidentsOf(pressed.endpoint).size();

            pressed.press();

            Await.until("an incident for " + pressed.endpoint, FAST, () -> incidentsOf(pressed.endpoint).size() > before);
            List<JsonNode> incidents = incidentsOf(pressed.endpoint);
            assertEquals(before + 1, incidents.size(), "one press, one incident");
            JsonNode incident = incidents.get(0);
            String incidentId = incident.path("id").asText();
            assertEquals("panic", incident.path("kind").asText());
            assertEquals(primaryUnit, roleUnits(incident, "primary").get(0), "the box's own unit is primary");

            Set<String> alertedBoxes = new HashSet<>();
            for (JsonNode unit : incident.path("units")) {
                hub.unit(unit.path("unit").asText()).path("callboxes").forEach(b -> alertedBoxes.add(b.asText()));
            }
            assertTrue(alertedBoxes.size() >= 2, "the demo alerts at least two boxes: " + alertedBoxes);
            for (String endpoint : alertedBoxes) {
                Await.until(endpoint + " siren sounding", FAST, () -> township.box(endpoint).sirenSounding());
            }
            for (BoxProcess box : township.boxes) {
                if (!alertedBoxes.contains(box.endpoint)) {
                    assertFalse(box.sirenSounding(), box.endpoint + " belongs to no alerted unit and stays silent");
                }
            }
            Await.until(pressed.endpoint + " told the call was received", FAST,
                    () -> pressed.state().path("callStatus").asText().equals("received"));
            assertFalse(pressed.state().path("loudspeaker").path("lastText").asText().isBlank(),
                    "the pressed box announced something");

            MqttWatcher.Received alert = member.await("the alert reaches the member", FAST,
                    m -> m.topic().equals(Topics.alerts("houshan", primaryUnit))
                            && m.json().path("incidentId").asText().equals(incidentId));
            JsonNode payload = alert.json();
            for (String field : List.of("incidentId", "kind", "role", "callbox", "place", "village", "lat", "lon",
                    "raisedAt", "message")) {
                assertTrue(payload.hasNonNull(field), "alert has " + field + ": " + payload);
            }
            assertEquals("primary", payload.path("role").asText());
            assertEquals(pressed.endpoint, payload.path("callbox").asText());
            assertNotNull(alert.properties().getMessageExpiryInterval(), "alerts expire when no longer useful");

            int unitsBeforeAck = hub.incident(incidentId).path("units").size();
            member.publish(Topics.acks("houshan", primaryUnit),
                    Json.write(java.util.Map.of("incidentId", incidentId, "memberId", memberId)));
            Await.until("the primary unit's ack recorded", FAST, () -> !roleUnit(hub.incident(incidentId), primaryUnit)
                    .path("acknowledgedAt").isNull());
            Await.until(pressed.endpoint + " told the call was acknowledged", FAST,
                    () -> pressed.state().path("callStatus").asText().equals("acknowledged"));
            Await.holds("no escalation after the ack", DemoTownship.ESCALATION_DELAY.multipliedBy(2),
                    () -> hub.incident(incidentId).path("units").size() == unitsBeforeAck);
        }
    }

    @Test
    @Order(2)
    void no_ack_from_the_primary_unit_alerts_the_next_nearest_unit() {
        BoxProcess pressed = township.boxes.get(township.boxes.size() - 1);
        int before = incidentsOf(pressed.endpoint).size();

        pressed.press();

        Await.until("an incident for " + pressed.endpoint, FAST, () -> incidentsOf(pressed.endpoint).size() > before);
        String incidentId = incidentsOf(pressed.endpoint).get(0).path("id").asText();
        int alerted = hub.incident(incidentId).path("units").size();
        Await.until("escalation to one more unit", DemoTownship.ESCALATION_DELAY.plus(FAST),
                () -> hub.incident(incidentId).path("units").size() == alerted + 1);
        assertTrue(hub.incident(incidentId).path("log").toString().contains("escalat"),
                "the log shows the escalation: " + hub.incident(incidentId).path("log"));
    }

    @Test
    @Order(3)
    void malformed_or_unauthorised_requests_get_clear_errors_and_change_nothing() {
        BoxProcess pressed = township.boxes.get(1);
        int before = incidentsOf(pressed.endpoint).size();
        pressed.press();
        Await.until("an incident for " + pressed.endpoint, FAST, () -> incidentsOf(pressed.endpoint).size() > before);
        String incidentId = incidentsOf(pressed.endpoint).get(0).path("id").asText();
        String unchanged = hub.incident(incidentId).toString();

        assertProblem(hub.api().post("/api/incidents/" + incidentId + "/acks", "{\"memberId\":"), 400);
        assertProblem(hub.api().post("/api/incidents/" + incidentId + "/acks", "{}"), 400);
        assertProblem(hub.api().post("/api/incidents/" + incidentId + "/acks", "{\"memberId\":\"nobody\"}"), 422);
        assertProblem(hub.api().post("/api/incidents/" + incidentId + "/reports", "{\"status\":\"sleeping\"}"), 400);
        assertProblem(hub.api().post("/api/incidents/INC-NOPE/acks", "{\"memberId\":\"x\"}"), 404);
        assertEquals(401, hub.anonymousApi().get("/api/incidents").status());
        assertEquals(401, new Http("http://127.0.0.1:" + hub.httpPort, "admin", "wrong").get("/api/incidents").status());

        assertEquals(unchanged, hub.incident(incidentId).toString(), "bad requests changed the incident");
    }

    private static void assertProblem(Http.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        JsonNode problem = Json.parse(response.body());
        assertTrue(problem.hasNonNull("title") || problem.hasNonNull("detail"), "problem details: " + response.body());
    }

    private List<JsonNode> incidentsOf(String endpoint) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode incident : hub.incidents()) {
            if (incident.path("callbox").asText().equals(endpoint)) {
                found.add(incident);
            }
        }
        return found; // newest first, as the API lists them
    }

    private static List<String> roleUnits(JsonNode incident, String role) {
        List<String> units = new ArrayList<>();
        incident.path("units").forEach(u -> {
            if (u.path("role").asText().equals(role)) {
                units.add(u.path("unit").asText());
            }
        });
        return units;
    }

    private static JsonNode roleUnit(JsonNode incident, String unitId) {
        for (JsonNode unit : incident.path("units")) {
            if (unit.path("unit").asText().equals(unitId)) {
                return unit;
            }
        }
        throw new AssertionError(unitId + " not alerted: " + incident);
    }
}
