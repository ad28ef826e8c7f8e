package cn.callbox.hub.mqtt;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import cn.callbox.hub.incident.AckReceiver;

/**
 * Test-side MQTT clients (members, admins) and small fakes, shared by the broker tests. {@link V5} is public so that
 * the alarm-path benchmark ({@code cn.callbox.hub.bench}) subscribes with it too.
 */
public final class TestClients {

    static final String TOWNSHIP = "houshan";
    static final Duration WAIT = Duration.ofSeconds(15);

    private TestClients() {
    }

    /** A message as a subscriber saw it. */
    public record Received(String topic, String payload, boolean retained, Long expirySeconds) {
    }

    /** An MQTT 5 test client that collects what it receives. */
    public static final class V5 implements AutoCloseable {
        final MqttAsyncClient client;
        public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        private V5(MqttAsyncClient client) {
            this.client = client;
        }

        /** Connects or throws the MqttException of the refusal. */
        public static V5 connect(String uri, String username, String password) throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(uri, "test-" + UUID.randomUUID(), new MemoryPersistence());
            V5 v5 = new V5(client);
            client.setCallback(v5.callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            if (username != null) {
                options.setUserName(username);
            }
            if (password != null) {
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            options.setConnectionTimeout(10);
            try {
                client.connect(options).waitForCompletion(WAIT.toMillis());
            } catch (MqttException e) {
                closeQuietly(client);
                throw e;
            }
            return v5;
        }

        /** The SUBACK reason code (0 or 1 granted, 0x80 and above refused). */
        public int subscribe(String filter) throws MqttException {
            IMqttToken token = client.subscribe(filter, 1);
            token.waitForCompletion(WAIT.toMillis());
            return token.getReasonCodes()[0];
        }

        /** The PUBACK reason code (0 accepted; 0x87 not authorised...). */
        int publish(String topic, String payload) {
            try {
                MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                IMqttToken token = client.publish(topic, message);
                token.waitForCompletion(WAIT.toMillis());
                int[] codes = token.getReasonCodes();
                return codes == null || codes.length == 0 ? 0 : codes[0];
            } catch (MqttException e) {
                return e.getReasonCode();
            }
        }

        /** The next message on {@code topic} within {@link #WAIT}, skipping others; fails otherwise. */
        Received next(String topic) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Received r = received.poll(100, TimeUnit.MILLISECONDS);
                if (r != null && r.topic().equals(topic)) {
                    return r;
                }
            }
            return fail("nothing received on " + topic + " within " + WAIT);
        }

        /** Everything received within {@code quiet}. */
        List<Received> drain(Duration quiet) throws InterruptedException {
            List<Received> all = new ArrayList<>();
            long deadline = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < deadline) {
                Received r = received.poll(50, TimeUnit.MILLISECONDS);
                if (r != null) {
                    all.add(r);
                }
            }
            return all;
        }

        private MqttCallback callback() {
            return new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    MqttProperties p = message.getProperties();
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.isRetained(), p == null ? null : p.getMessageExpiryInterval()));
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
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            };
        }

        @Override
        public void close() {
            closeQuietly(client);
        }

        private static void closeQuietly(MqttAsyncClient client) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(5_000);
                }
            } catch (MqttException | RuntimeException e) {
                // best effort in tests
            }
            try {
                client.close(true);
            } catch (MqttException | RuntimeException e) {
                // best effort in tests
            }
        }
    }

    /** A recorded acknowledgement. */
    record Ack(String unitId, String incidentId, String memberId) {
    }

    /** Records every acknowledgement. */
    static final class RecordingAckReceiver implements AckReceiver {
        final BlockingQueue<Ack> acks = new LinkedBlockingQueue<>();

        @Override
        public void acknowledged(String unitId, String incidentId, String memberId) {
            acks.add(new Ack(unitId, incidentId, memberId));
        }

        Ack next() throws InterruptedException {
            Ack ack = acks.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return ack != null ? ack : fail("no ack reached the AckReceiver within " + WAIT);
        }
    }
}
