package cn.callbox.hub.mqtt;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.callbox.hub.incident.AckReceiver;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.mqtt.Topics;
import tools.jackson.databind.json.JsonMapper;

/**
 * MQTT wiring: the broker (embedded unless {@code callbox.mqtt.url} is set), then the hub's client, then the
 * publisher ({@link PahoAlarmPublisher}, which is the hub's {@code AlarmPublisher} and {@code CallBoxStatusPublisher}).
 * Shutdown runs the other way round: client first, broker last.
 */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConfiguration.class);
    /** Hub instances share members' acks through this shared-subscription group. */
    static final String ACK_SHARE_GROUP = "callbox-hub";
    private static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    BrokerConnection mqttBrokerConnection(HubProperties properties, ObjectProvider<MqttAccounts> accounts) {
        MqttAccounts checked = accounts.getIfAvailable(() -> {
            LOG.warn("No MqttAccounts bean: only the hub itself can log in to the embedded MQTT broker");
            return (username, password) -> Optional.empty();
        });
        return BrokerConnection.open(properties, checked);
    }

    @Bean
    MqttEndpoint mqttEndpoint(BrokerConnection connection) {
        return connection.endpoint();
    }

    @Bean(destroyMethod = "close")
    HubMqttClient hubMqttClient(BrokerConnection connection, HubProperties properties,
            ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<AckReceiver> ackReceivers) {
        String township = properties.township();
        AckHandler acks = new AckHandler(township, jsonMapper(jsonMapper),
                () -> ackReceivers.orderedStream().toList());
        HubMqttClient client = new HubMqttClient(settings(connection, township), acks);
        client.start();
        try {
            if (!client.awaitConnected(FIRST_CONNECT_WAIT)) {
                LOG.warn("MQTT broker {} not reachable yet; alerts are queued until it is",
                        connection.endpoint().serverUri());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
    }

    @Bean
    PahoAlarmPublisher pahoAlarmPublisher(HubMqttClient client, HubProperties properties,
            ObjectProvider<JsonMapper> jsonMapper) {
        return new PahoAlarmPublisher(client, jsonMapper(jsonMapper), properties.township(),
                properties.mqtt().alertExpiry());
    }

    /** Settings of the hub's client: a unique client id per start, and the shared ack subscription. */
    static HubMqttClient.Settings settings(BrokerConnection connection, String township) {
        byte[] suffix = new byte[6];
        ThreadLocalRandom.current().nextBytes(suffix);
        String clientId = "callbox-hub-" + township + "-" + HexFormat.of().formatHex(suffix);
        return new HubMqttClient.Settings(connection.endpoint().serverUri(), clientId, connection.username(),
                connection.password(), sharedAcks(township));
    }

    static String sharedAcks(String township) {
        return "$share/" + ACK_SHARE_GROUP + "/" + Topics.allAcks(township);
    }

    private static JsonMapper jsonMapper(ObjectProvider<JsonMapper> provider) {
        return provider.getIfAvailable(() -> JsonMapper.builder().build());
    }

}
