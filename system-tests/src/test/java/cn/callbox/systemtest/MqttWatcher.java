package cn.callbox.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import com.fasterxml.jackson.databind.JsonNode;

/** A real MQTT 5 client, as a member's phone or the command centre would use, recording what it receives. */
final class MqttWatcher implements AutoCloseable {

    record Received(String topic, String payload, MqttProperties properties) {
        JsonNode json() {
            return Json.parse(payload);
        }
    }

    private final MqttClient client;
    final List<Received> received = new CopyOnWriteArrayList<>();

    MqttWatcher(int port, String user, String password) {
        try {
            client = new MqttClient("tcp://127.0.0.1:" + port, "e2e-" + user + "-" + System.nanoTime(),
                    new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.getProperties()));
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverUri) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(true);
            client.connect(options);
        } catch (MqttException e) {
            throw new AssertionError("MQTT connect as " + user + " failed: " + e, e);
        }
    }

    /** Subscribes at QoS 1 and returns the granted reason code (0-2 granted, 0x80 and up refused). */
    int subscribe(String filter) {
        try {
            IMqttToken token = client.subscribe(filter, 1);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            throw new AssertionError("subscribe " + filter + " failed: " + e, e);
        }
    }

    void publish(String topic, String payload) {
        try {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new AssertionError("publish on " + topic + " failed: " + e, e);
        }
    }

    Received await(String what, Duration timeout, java.util.function.Predicate<Received> match) {
        Await.until(what, timeout, () -> received.stream().anyMatch(match));
        return received.stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // closing a test client: nothing to do
        }
    }
}
