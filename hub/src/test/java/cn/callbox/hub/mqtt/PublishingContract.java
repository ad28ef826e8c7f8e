package cn.callbox.hub.mqtt;

import static cn.callbox.hub.mqtt.TestClients.TOWNSHIP;
import static cn.callbox.hub.mqtt.TestClients.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.mqtt.TestClients.Ack;
import cn.callbox.hub.mqtt.TestClients.Received;
import cn.callbox.hub.mqtt.TestClients.RecordingAckReceiver;
import cn.callbox.hub.mqtt.TestClients.V5;
import cn.callbox.protocol.mqtt.CallBoxStatus;
import cn.callbox.protocol.mqtt.Topics;
import cn.callbox.protocol.mqtt.UnitAlert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the hub's publisher and ack subscription must do on any broker; run against the embedded broker and against
 * Mosquitto by subclasses that start the broker and say how to log in.
 */
abstract class PublishingContract {

    /** A login on the broker under test. */
    record Login(String username, String password) {
    }

    final JsonMapper json = JsonMapper.builder().build();
    final RecordingAckReceiver acks = new RecordingAckReceiver();
    HubMqttClient hub;
    PahoAlarmPublisher publisher;

    abstract String serverUri();

    /** The hub's own client settings, subscriptions included. */
    abstract HubMqttClient.Settings hubSettings();

    /** A member of {@code unit} (u1 or u2). */
    abstract Login member(String unit);

    abstract Login admin();

    @BeforeEach
    void startHub() throws InterruptedException {
        hub = new HubMqttClient(hubSettings(), new AckHandler(TOWNSHIP, json, () -> List.of(acks)));
        hub.start();
        assertTrue(hub.awaitSubscribed(WAIT), "the hub connects and subscribes to the acks");
        publisher = new PahoAlarmPublisher(hub, json, TOWNSHIP, Duration.ofMinutes(15));
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    V5 connect(Login login) throws Exception {
        return V5.connect(serverUri(), login.username(), login.password());
    }

    static UnitAlert alert(String incidentId) {
        return new UnitAlert(incidentId, "panic", "primary", "cb-0001", "村委会门口", "后山村", 30.25, 120.125,
                "2026-11-29T03:00:00Z", "后山村村委会门口有人报警，请立即前往。");
    }

    @Test
    void an_alert_reaches_the_units_members_with_the_contract_fields_and_a_message_expiry() throws Exception {
        try (V5 member = connect(member("u1"))) {
            String topic = Topics.alerts(TOWNSHIP, "u1");
            assertEquals(1, member.subscribe(topic));

            publisher.publishAlert("u1", alert("inc-1"));

            Received received = member.next(topic);
            JsonNode body = json.readTree(received.payload());
            Set<String> fields = new TreeSet<>(body.propertyNames());
            assertEquals(new TreeSet<>(Set.of("incidentId", "kind", "role", "callbox", "place", "village", "lat", "lon",
                    "raisedAt", "message")), fields);
            assertEquals("inc-1", body.get("incidentId").asString());
            assertEquals("panic", body.get("kind").asString());
            assertEquals("primary", body.get("role").asString());
            assertEquals("cb-0001", body.get("callbox").asString());
            assertEquals("村委会门口", body.get("place").asString());
            assertEquals(30.25, body.get("lat").asDouble());
            assertEquals(120.125, body.get("lon").asDouble());
            assertEquals("2026-11-29T03:00:00Z", body.get("raisedAt").asString());
            assertFalse(received.retained(), "alerts are not retained");
            assertNotNull(received.expirySeconds(), "alerts carry an MQTT 5 message expiry");
            assertTrue(received.expirySeconds() > 890 && received.expirySeconds() <= 900,
                    "expiry about 15 min, was " + received.expirySeconds());
        }
    }

    @Test
    void incident_state_and_call_box_status_are_retained_for_late_subscribers() throws Exception {
        String incidentTopic = Topics.incident(TOWNSHIP, "inc-2");
        String statusTopic = Topics.callBoxStatus(TOWNSHIP, "cb-0002");
        try (V5 live = connect(admin())) {
            assertTrue(live.subscribe("callbox/#") < 0x80);
            publisher.publishIncident("inc-2", "{\"id\":\"inc-2\",\"state\":\"dispatched\"}");
            publisher.publishStatus("cb-0002", new CallBoxStatus(true, "2026-11-29T03:00:00Z", false, null));
            live.next(incidentTopic);
            live.next(statusTopic);
        }
        try (V5 late = connect(admin())) {
            assertTrue(late.subscribe(incidentTopic) < 0x80);
            Received incident = late.next(incidentTopic);
            assertTrue(incident.retained());
            assertEquals("dispatched", json.readTree(incident.payload()).get("state").asString());

            assertTrue(late.subscribe(statusTopic) < 0x80);
            Received status = late.next(statusTopic);
            assertTrue(status.retained());
            JsonNode body = json.readTree(status.payload());
            assertEquals(new TreeSet<>(Set.of("online", "lastSeen", "sirenSounding", "lockerReady", "tamper", "onMains")),
                    new TreeSet<>(body.propertyNames()));
            assertTrue(body.get("online").asBoolean());
            assertTrue(body.get("lockerReady").isNull());
        }
    }

    @Test
    void a_retired_boxs_status_is_no_longer_retained() throws Exception {
        String statusTopic = Topics.callBoxStatus(TOWNSHIP, "cb-0003");
        String otherTopic = Topics.callBoxStatus(TOWNSHIP, "cb-0004");
        try (V5 live = connect(admin())) {
            assertTrue(live.subscribe("callbox/#") < 0x80);
            publisher.publishStatus("cb-0003", new CallBoxStatus(true, "2026-11-29T03:00:00Z", false, null));
            publisher.publishStatus("cb-0004", new CallBoxStatus(true, "2026-11-29T03:00:00Z", false, null));
            live.next(statusTopic);
            live.next(otherTopic);
            publisher.clearStatus("cb-0003");
            assertEquals("", live.next(statusTopic).payload(), "live subscribers see the status cleared");
        }
        try (V5 late = connect(admin())) {
            assertTrue(late.subscribe("callbox/" + TOWNSHIP + "/callboxes/+/status") < 0x80);
            List<String> topics = late.drain(Duration.ofSeconds(1)).stream().map(Received::topic).toList();
            assertTrue(topics.contains(otherTopic), "the other box's status is still retained: " + topics);
            assertFalse(topics.contains(statusTopic), "no retained status for the retired box: " + topics);
        }
    }

    @Test
    void a_members_ack_reaches_the_ack_receiver_with_the_unit_of_the_topic_and_bad_payloads_are_ignored()
            throws Exception {
        try (V5 member = connect(member("u1"))) {
            String topic = Topics.acks(TOWNSHIP, "u1");
            assertEquals(0, member.publish(topic, "not json at all"));
            assertEquals(0, member.publish(topic, "{\"incidentId\":\"inc-3\"}"));
            assertEquals(0, member.publish(topic, "{\"incidentId\":\"inc-3\",\"memberId\":\"m-7\",\"extra\":1}"));

            assertEquals(new Ack("u1", "inc-3", "m-7"), acks.next());
            assertTrue(hub.isConnected(), "bad payloads never break the hub's connection");
        }
    }

    @Test
    void a_burst_of_alerts_is_delivered_completely_and_in_order() throws Exception {
        try (V5 member = connect(member("u2"))) {
            String topic = Topics.alerts(TOWNSHIP, "u2");
            assertEquals(1, member.subscribe(topic));
            int count = 300;
            for (int i = 0; i < count; i++) {
                publisher.publishAlert("u2", alert("burst-" + i));
            }
            for (int i = 0; i < count; i++) {
                assertEquals("burst-" + i, json.readTree(member.next(topic).payload()).get("incidentId").asString());
            }
        }
    }

}
