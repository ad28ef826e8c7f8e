package cn.callbox.hub.mqtt;

import static cn.callbox.hub.mqtt.TestClients.TOWNSHIP;
import static cn.callbox.hub.mqtt.TestClients.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.hub.mqtt.TestClients.Received;
import cn.callbox.hub.mqtt.TestClients.V5;
import cn.callbox.protocol.mqtt.CallBoxStatus;
import cn.callbox.protocol.mqtt.Topics;

/**
 * The publishing contract against an external broker, Debian's Mosquitto 2 with a password file and per-unit ACL,
 * plus the outage case: messages published while the broker is down arrive once it is back.
 */
class PahoAlarmPublisherMosquittoTest extends PublishingContract {

    @TempDir
    static Path dir;
    static MosquittoBroker mosquitto;

    @BeforeAll
    static void startMosquitto() throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("hub", "hub-secret");
        users.put("admin", "admin-secret");
        users.put("m1", "m1-secret");
        users.put("m2", "m2-secret");
        String acl = """
                user hub
                topic readwrite callbox/houshan/#

                user admin
                topic read callbox/#

                user m1
                topic read callbox/houshan/units/u1/#
                topic write callbox/houshan/units/u1/acks

                user m2
                topic read callbox/houshan/units/u2/#
                topic write callbox/houshan/units/u2/acks
                """;
        mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"), users, acl);
    }

    @AfterAll
    static void stopMosquitto() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Override
    String serverUri() {
        return mosquitto.serverUri();
    }

    @Override
    HubMqttClient.Settings hubSettings() {
        return new HubMqttClient.Settings(mosquitto.serverUri(), "hub-" + UUID.randomUUID(), "hub",
                "hub-secret".getBytes(StandardCharsets.UTF_8), MqttConfiguration.sharedAcks(TOWNSHIP));
    }

    @Override
    Login member(String unit) {
        return new Login(unit.equals("u1") ? "m1" : "m2", unit.equals("u1") ? "m1-secret" : "m2-secret");
    }

    @Override
    Login admin() {
        return new Login("admin", "admin-secret");
    }

    @Test
    void messages_published_while_the_broker_is_down_arrive_when_it_is_back() throws Exception {
        mosquitto.stop();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.isConnected() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(hub.isConnected(), "the hub noticed the outage");

        publisher.publishIncident("inc-down", "{\"id\":\"inc-down\",\"state\":\"dispatched\"}");
        publisher.publishStatus("cb-0009", new CallBoxStatus(false, "2026-11-29T03:00:00Z", false, true));

        mosquitto.start();
        try (V5 admin = connectWhenUp(admin())) {
            String topic = Topics.incident(TOWNSHIP, "inc-down");
            assertTrue(admin.subscribe(topic) < 0x80);
            Received incident = admin.next(topic);
            assertEquals("{\"id\":\"inc-down\",\"state\":\"dispatched\"}", incident.payload());

            String statusTopic = Topics.callBoxStatus(TOWNSHIP, "cb-0009");
            assertTrue(admin.subscribe(statusTopic) < 0x80);
            assertTrue(admin.next(statusTopic).payload().contains("\"lockerReady\":true"));
        }
        assertTrue(hub.isConnected());
        assertEquals(0, hub.queuedMessages());
    }

    /** The restarted broker may need a moment; retry the connection until {@link TestClients#WAIT}. */
    private V5 connectWhenUp(Login login) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return connect(login);
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
