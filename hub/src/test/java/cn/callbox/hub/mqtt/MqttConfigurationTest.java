package cn.callbox.hub.mqtt;

import static cn.callbox.hub.mqtt.TestClients.TOWNSHIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.incident.AlarmPublisher;
import cn.callbox.hub.mqtt.TestClients.Ack;
import cn.callbox.hub.mqtt.TestClients.RecordingAckReceiver;
import cn.callbox.hub.mqtt.TestClients.V5;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.mqtt.Topics;

/** The Spring wiring: embedded broker on a picked port, the hub's client, the publisher, acks to the receiver bean. */
class MqttConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void the_context_runs_the_embedded_broker_publishes_alerts_and_delivers_acks_then_stops_it() throws Exception {
        HubProperties properties = new HubProperties(dataDir, TOWNSHIP,
                new HubProperties.Lwm2m(0, null, "127.0.0.1", null),
                new HubProperties.Mqtt(null, 0, "127.0.0.1", null, null, Duration.ofMinutes(15)),
                new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180)),
                new HubProperties.Influx(null, "callbox"));
        RecordingAckReceiver acks = new RecordingAckReceiver();
        String uri;
        try (var context = new AnnotationConfigApplicationContext()) {
            context.registerBean(HubProperties.class, () -> properties);
            context.registerBean(MqttAccounts.class, () -> new EmbeddedBrokerTest.FakeAccounts());
            context.registerBean(RecordingAckReceiver.class, () -> acks);
            context.register(MqttConfiguration.class);
            context.refresh();

            MqttEndpoint endpoint = context.getBean(MqttEndpoint.class);
            assertTrue(endpoint.embedded());
            assertTrue(endpoint.port() > 0, "a free port was picked");
            uri = endpoint.serverUri();
            assertEquals("tcp://127.0.0.1:" + endpoint.port(), uri);
            assertTrue(context.getBean(HubMqttClient.class).awaitSubscribed(TestClients.WAIT));

            AlarmPublisher alarms = context.getBean(AlarmPublisher.class);
            assertTrue(context.getBean(CallBoxStatusPublisher.class) == alarms, "one publisher for both");
            try (V5 member = V5.connect(uri, "m1", "m1-secret")) {
                assertEquals(1, member.subscribe(Topics.alerts(TOWNSHIP, "u1")));
                alarms.publishAlert("u1", PublishingContract.alert("inc-ctx"));
                assertTrue(member.next(Topics.alerts(TOWNSHIP, "u1")).payload().contains("inc-ctx"));

                assertEquals(0, member.publish(Topics.acks(TOWNSHIP, "u1"),
                        "{\"incidentId\":\"inc-ctx\",\"memberId\":\"m1\"}"));
                assertEquals(new Ack("u1", "inc-ctx", "m1"), acks.next());
            }
        }
        MqttException gone = assertThrows(MqttException.class, () -> V5.connect(uri, "m1", "m1-secret"));
        assertTrue(gone.getReasonCode() != 0, "the broker is stopped with the context");
    }
}
