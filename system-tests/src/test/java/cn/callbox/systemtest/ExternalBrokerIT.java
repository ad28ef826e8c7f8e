package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.mqtt.Topics;

/** The hub on Debian's Mosquitto instead of its embedded broker: alerts go out, acks come back. */
class ExternalBrokerIT {

    @TempDir
    Path dir;

    @Test
    void alerts_and_acks_flow_through_mosquitto() throws Exception {
        Files.createDirectories(dir.resolve("mosquitto"));
        String acl = String.join("\n",
                "user hub", "topic readwrite callbox/#", "topic read $share/#",
                "user centre", "topic read callbox/#",
                "user member", "topic write callbox/+/units/+/acks", "");
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("mosquitto"),
                Map.of("hub", "hub-secret-1", "centre", "centre-secret-1", "member", "member-secret-1"), acl).start();
                HubProcess hub = new HubProcess(dir.resolve("hub"), "--callbox.mqtt.url=tcp://127.0.0.1:" + broker.port,
                        "--callbox.mqtt.username=hub", "--callbox.mqtt.password=hub-secret-1").start();
                BoxProcess box = new BoxProcess(hub.boxConfigs().get(0)).start();
                MqttWatcher centre = new MqttWatcher(broker.port, "centre", "centre-secret-1");
                MqttWatcher member = new MqttWatcher(broker.port, "member", "member-secret-1")) {
            centre.subscribe("callbox/#");
            Await.until(box.endpoint + " online", Duration.ofSeconds(60), () -> hub.isOnline(box.endpoint));

            box.press();

            MqttWatcher.Received alert = centre.await("an alert through mosquitto", Duration.ofSeconds(15),
                    m -> m.topic().endsWith("/alerts") && m.json().path("callbox").asText().equals(box.endpoint));
            JsonNode payload = alert.json();
            String incidentId = payload.path("incidentId").asText();
            String unit = Topics.unitOf("houshan", alert.topic());
            String memberId = hub.unit(unit).path("members").get(0).path("id").asText();
            centre.await("the retained incident state", Duration.ofSeconds(15),
                    m -> m.topic().equals(Topics.incident("houshan", incidentId)));

            member.publish(Topics.acks("houshan", unit),
                    Json.write(Map.of("incidentId", incidentId, "memberId", memberId)));

            Await.until("the ack reaches the hub through mosquitto", Duration.ofSeconds(15), () -> {
                for (JsonNode u : hub.incident(incidentId).path("units")) {
                    if (u.path("unit").asText().equals(unit)) {
                        return !u.path("acknowledgedAt").isNull();
                    }
                }
                return false;
            });
            assertEquals("acknowledged", hub.incident(incidentId).path("state").asText());
            assertTrue(centre.received.stream().anyMatch(m -> m.topic().endsWith("/status")),
                    "call-box status is published too");
        }
    }
}
