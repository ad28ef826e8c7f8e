package cn.callbox.hub.mqtt;

import static cn.callbox.hub.mqtt.TestClients.TOWNSHIP;
import static cn.callbox.hub.mqtt.TestClients.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.hub.mqtt.MqttPrincipal.Role;
import cn.callbox.hub.mqtt.TestClients.Ack;
import cn.callbox.hub.mqtt.TestClients.V5;
import cn.callbox.protocol.mqtt.Topics;

/**
 * The embedded HiveMQ broker with its security extension, with real Paho MQTT 5 and 3.1.1 clients: the publishing
 * contract plus the access matrix of ARCHITECTURE.md (members read only their unit, admins read everything and write
 * nothing, wrong credentials are refused).
 */
class EmbeddedBrokerTest extends PublishingContract {

    /** Fake registry accounts: username to (password, principal). */
    static final class FakeAccounts implements MqttAccounts {
        private final Map<String, Map.Entry<String, MqttPrincipal>> accounts = Map.of(
                "admin", Map.entry("admin-secret", new MqttPrincipal("admin", Role.ADMIN, null)),
                "m1", Map.entry("m1-secret", new MqttPrincipal("m1", Role.MEMBER, "u1")),
                "m2", Map.entry("m2-secret", new MqttPrincipal("m2", Role.MEMBER, "u2")),
                "sneaky", Map.entry("sneaky-secret", new MqttPrincipal("sneaky", Role.HUB, null)));

        @Override
        public Optional<MqttPrincipal> authenticate(String username, byte[] password) {
            var account = accounts.get(username);
            if (account == null || !Arrays.equals(account.getKey().getBytes(StandardCharsets.UTF_8), password)) {
                return Optional.empty();
            }
            return Optional.of(account.getValue());
        }
    }

    @TempDir
    static Path dataDir;
    static HubCredential hubCredential;
    static EmbeddedBroker broker;
    static Thread.UncaughtExceptionHandler handlerBefore;

    @BeforeAll
    static void startBroker() {
        hubCredential = HubCredential.generate();
        handlerBefore = (t, e) -> { };
        Thread.setDefaultUncaughtExceptionHandler(handlerBefore);
        broker = EmbeddedBroker.start(dataDir.resolve("mqtt"), "127.0.0.1", 0,
                new BrokerSecurity(hubCredential, new FakeAccounts(), new TopicAccessPolicy(TOWNSHIP)));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        Thread.setDefaultUncaughtExceptionHandler(null);
    }

    @Override
    String serverUri() {
        return broker.serverUri();
    }

    @Override
    HubMqttClient.Settings hubSettings() {
        return new HubMqttClient.Settings(broker.serverUri(), "hub-" + UUID.randomUUID(), hubCredential.username(),
                hubCredential.password(), MqttConfiguration.sharedAcks(TOWNSHIP));
    }

    @Override
    Login member(String unit) {
        return switch (unit) {
            case "u1" -> new Login("m1", "m1-secret");
            case "u2" -> new Login("m2", "m2-secret");
            default -> throw new IllegalArgumentException(unit);
        };
    }

    @Override
    Login admin() {
        return new Login("admin", "admin-secret");
    }

    @Test
    void the_broker_runs_on_the_picked_loopback_port_with_the_written_config_and_keeps_the_jvm_handler() throws Exception {
        assertTrue(broker.port() > 0);
        assertEquals("tcp://127.0.0.1:" + broker.port(), broker.serverUri());
        String config = Files.readString(dataDir.resolve("mqtt/conf/config.xml"));
        assertTrue(config.contains("<port>" + broker.port() + "</port>"), config);
        assertTrue(config.contains("<bind-address>127.0.0.1</bind-address>"), config);
        assertTrue(config.contains("<mode>in-memory</mode>"), config);
        assertTrue(config.contains("<enabled>false</enabled>"), config);
        assertSame(handlerBefore, Thread.getDefaultUncaughtExceptionHandler(),
                "HiveMQ's System.exit handler must not stay installed");
    }

    @Test
    void a_port_already_taken_fails_the_start_with_a_clear_error(@TempDir Path otherDir) throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            // a port in use, which the hub turns into exit code 78 rather than restart into it again and again
            cn.callbox.hub.system.PortInUseException e = assertThrows(cn.callbox.hub.system.PortInUseException.class,
                    () -> EmbeddedBroker.start(otherDir, "127.0.0.1", taken.getLocalPort(),
                            new BrokerSecurity(HubCredential.generate(), new FakeAccounts(),
                                    new TopicAccessPolicy(TOWNSHIP))));
            assertEquals(taken.getLocalPort(), e.port());
            assertTrue(e.getMessage().contains("TCP port " + taken.getLocalPort() + " on 127.0.0.1"), e.getMessage());
            assertTrue(e.property().startsWith("callbox.mqtt.port"), e.property());
        }
        assertSame(handlerBefore, Thread.getDefaultUncaughtExceptionHandler());
    }

    @Test
    void wrong_or_missing_credentials_are_refused_for_mqtt5_and_mqtt3() {
        MqttException wrong = assertThrows(MqttException.class, () -> V5.connect(serverUri(), "m1", "nope"));
        assertEquals(0x86, wrong.getReasonCode());
        MqttException unknown = assertThrows(MqttException.class, () -> V5.connect(serverUri(), "ghost", "x"));
        assertEquals(0x86, unknown.getReasonCode());
        MqttException anonymous = assertThrows(MqttException.class, () -> V5.connect(serverUri(), null, null));
        assertEquals(0x86, anonymous.getReasonCode());
        MqttException hubNameOnly = assertThrows(MqttException.class,
                () -> V5.connect(serverUri(), hubCredential.username(), "guess"));
        assertEquals(0x86, hubNameOnly.getReasonCode());

        var v3 = assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> v3("m1", "nope"));
        assertEquals(4, v3.getReasonCode());
        var v3Anonymous = assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> v3(null, null));
        assertTrue(v3Anonymous.getReasonCode() == 4 || v3Anonymous.getReasonCode() == 5,
                "refused, was " + v3Anonymous.getReasonCode());
    }

    @Test
    void an_account_cannot_claim_the_hub_role_through_the_registry() throws Exception {
        MqttException e = assertThrows(MqttException.class, () -> V5.connect(serverUri(), "sneaky", "sneaky-secret"));
        assertEquals(0x86, e.getReasonCode());
    }

    @Test
    void a_member_reads_only_its_own_unit_and_stays_connected_after_a_denial() throws Exception {
        try (V5 member = connect(member("u1"))) {
            assertEquals(0x87, member.subscribe(Topics.alerts(TOWNSHIP, "u2")));
            assertEquals(0x87, member.subscribe("callbox/#"));
            assertEquals(0x87, member.subscribe(Topics.townshipFilter(TOWNSHIP)));
            assertEquals(0x87, member.subscribe("callbox/+/units/u1/alerts"));
            assertEquals(0x87, member.subscribe("$share/g/" + Topics.allAcks(TOWNSHIP)));
            assertTrue(member.client.isConnected());
            assertEquals(1, member.subscribe(Topics.unitFilter(TOWNSHIP, "u1")));

            publisher.publishAlert("u2", alert("other-unit"));
            publisher.publishAlert("u1", alert("own-unit"));

            var received = member.next(Topics.alerts(TOWNSHIP, "u1"));
            assertTrue(received.payload().contains("own-unit"));
            assertTrue(member.drain(Duration.ofMillis(300)).stream().noneMatch(r -> r.payload().contains("other-unit")));
        }
    }

    @Test
    void a_member_may_ack_only_on_its_own_units_topic() throws Exception {
        try (V5 member = connect(member("u1"))) {
            assertEquals(0x87, member.publish(Topics.acks(TOWNSHIP, "u2"), "{\"incidentId\":\"x\",\"memberId\":\"m1\"}"));
            assertEquals(0x87, member.publish(Topics.alerts(TOWNSHIP, "u1"), "{\"fake\":true}"));
            assertEquals(0, member.publish(Topics.acks(TOWNSHIP, "u1"), "{\"incidentId\":\"inc-9\",\"memberId\":\"m1\"}"));

            assertEquals(new Ack("u1", "inc-9", "m1"), acks.next());
            assertTrue(acks.acks.isEmpty(), "the denied ack never reached the hub");
            assertTrue(member.client.isConnected(), "denials keep the client connected");
        }
    }

    @Test
    void an_admin_reads_the_whole_township_and_publishes_nothing() throws Exception {
        try (V5 admin = connect(admin())) {
            assertTrue(admin.subscribe("callbox/#") < 0x80);
            publisher.publishAlert("u2", alert("for-admin"));
            assertTrue(admin.next(Topics.alerts(TOWNSHIP, "u2")).payload().contains("for-admin"));

            assertEquals(0x87, admin.publish(Topics.acks(TOWNSHIP, "u1"), "{\"incidentId\":\"a\",\"memberId\":\"b\"}"));
            assertEquals(0x87, admin.publish(Topics.alerts(TOWNSHIP, "u1"), "{}"));
            assertTrue(admin.drain(Duration.ofMillis(300)).stream().noneMatch(r -> r.payload().equals("{}")));
            assertTrue(acks.acks.isEmpty());
            assertTrue(admin.client.isConnected(), "denials keep the client connected");
        }
    }

    @Test
    void mqtt3_members_are_served_with_the_same_rules() throws Exception {
        MqttClient member = v3("m2", "m2-secret");
        try {
            var received = new java.util.concurrent.LinkedBlockingQueue<String>();
            int denied = member.subscribeWithResponse(Topics.alerts(TOWNSHIP, "u1"), 1).getGrantedQos()[0];
            assertEquals(0x80, denied);
            int granted = member.subscribeWithResponse(Topics.alerts(TOWNSHIP, "u2"), 1,
                    (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)))
                    .getGrantedQos()[0];
            assertEquals(1, granted);
            assertTrue(member.isConnected());

            publisher.publishAlert("u2", alert("v3-alert"));
            String payload = received.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(payload != null && payload.contains("v3-alert"), "got " + payload);

            member.publish(Topics.acks(TOWNSHIP, "u1"), "{\"incidentId\":\"v3-x\",\"memberId\":\"m2\"}".getBytes(
                    StandardCharsets.UTF_8), 1, false);
            member.publish(Topics.acks(TOWNSHIP, "u2"), "{\"incidentId\":\"v3-ok\",\"memberId\":\"m2\"}".getBytes(
                    StandardCharsets.UTF_8), 1, false);
            assertEquals(new Ack("u2", "v3-ok", "m2"), acks.next());
            assertTrue(acks.acks.isEmpty());
            assertTrue(member.isConnected(), "a denied 3.1.1 publish is dropped, the client stays connected");
        } finally {
            if (member.isConnected()) {
                member.disconnect();
            }
            member.close();
        }
    }

    @Test
    void the_hub_queues_alerts_published_before_it_could_connect() throws Exception {
        int port = EmbeddedBroker.freePort("127.0.0.1");
        var settings = new HubMqttClient.Settings("tcp://127.0.0.1:" + port, "hub-offline", "u",
                "p".getBytes(StandardCharsets.UTF_8));
        try (HubMqttClient offline = new HubMqttClient(settings, (topic, payload) -> { })) {
            offline.start();
            offline.publish(Topics.alerts(TOWNSHIP, "u1"), "{}".getBytes(StandardCharsets.UTF_8), false,
                    Duration.ofMinutes(1));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (offline.queuedMessages() != 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, offline.queuedMessages(), "kept, not dropped");
            assertFalse(offline.isConnected());
        }
    }

    private MqttClient v3(String username, String password) throws org.eclipse.paho.client.mqttv3.MqttException {
        MqttClient client = new MqttClient(serverUri(), "v3-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }
}
