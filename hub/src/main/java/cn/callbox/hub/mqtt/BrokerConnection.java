package cn.callbox.hub.mqtt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.system.HubProperties;

/**
 * The broker the hub talks to and the credential it uses: either an {@link EmbeddedBroker} started here with a
 * freshly {@linkplain HubCredential generated} hub credential, or the external broker of {@code callbox.mqtt.url}
 * with {@code callbox.mqtt.username}/{@code password}. Closing it stops the embedded broker (after the hub's client
 * has been closed: Spring destroys the client first since it depends on this).
 */
final class BrokerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    private final MqttEndpoint endpoint;
    private final String username;
    private final byte[] password;
    private final EmbeddedBroker embedded;

    private BrokerConnection(MqttEndpoint endpoint, String username, byte[] password, EmbeddedBroker embedded) {
        this.endpoint = endpoint;
        this.username = username;
        this.password = password;
        this.embedded = embedded;
    }

    /** Starts the embedded broker under {@code <dataDir>/mqtt} when no external URL is set. */
    static BrokerConnection open(HubProperties properties, MqttAccounts accounts) {
        HubProperties.Mqtt mqtt = properties.mqtt();
        if (mqtt.url() != null && !mqtt.url().isBlank()) {
            return external(mqtt);
        }
        HubCredential credential = HubCredential.generate();
        BrokerSecurity security = new BrokerSecurity(credential, accounts,
                new TopicAccessPolicy(properties.township()));
        Path mqttDir = properties.dataDir().resolve("mqtt");
        EmbeddedBroker broker = EmbeddedBroker.start(mqttDir, mqtt.bindAddress(), mqtt.port(), security);
        MqttEndpoint endpoint = new MqttEndpoint(broker.serverUri(), broker.host(), broker.port(), true);
        LOG.info("Embedded MQTT broker listening on {}:{} (MQTT 3.1.1 and 5, credentials required)",
                mqtt.bindAddress(), broker.port());
        return new BrokerConnection(endpoint, credential.username(), credential.password(), broker);
    }

    private static BrokerConnection external(HubProperties.Mqtt mqtt) {
        URI uri;
        try {
            uri = URI.create(mqtt.url().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("callbox.mqtt.url is not a URL: '" + mqtt.url() + "'", e);
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException(
                    "callbox.mqtt.url must look like tcp://host:port or ssl://host:port, not '" + mqtt.url() + "'");
        }
        MqttEndpoint endpoint = new MqttEndpoint(uri.toString(), uri.getHost(), uri.getPort(), false);
        LOG.info("Using the external MQTT broker at {}:{}", uri.getHost(), uri.getPort());
        byte[] password = mqtt.password() == null ? null : mqtt.password().getBytes(StandardCharsets.UTF_8);
        return new BrokerConnection(endpoint, mqtt.username(), password, null);
    }

    MqttEndpoint endpoint() {
        return endpoint;
    }

    /** Null when none is configured for an external broker. */
    String username() {
        return username;
    }

    /** A copy; null when none is configured for an external broker. */
    byte[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
            LOG.info("Embedded MQTT broker stopped");
        }
    }
}
