package cn.callbox.hub.mqtt;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.ManagedExtensionExecutorService;
import com.hivemq.extension.sdk.api.services.Services;

import cn.callbox.hub.mqtt.MqttPrincipal.Role;

/**
 * The embedded broker's security, registered as an embedded HiveMQ extension on every start (without it HiveMQ lets
 * anonymous clients in). Authentication: the hub's generated {@link HubCredential}, else {@link MqttAccounts}; bad or
 * missing credentials get CONNACK 0x86 (MQTT 5) / 4 (3.1.1). Authorisation: {@link TopicAccessPolicy}; a denied
 * SUBSCRIBE gets reason code 0x87 and the client stays connected. A denied PUBLISH is stopped by a publish-inbound
 * interceptor, which HiveMQ runs before authorisation: MQTT 5 clients get PUBACK 0x87, MQTT 3.1.1 clients a plain
 * PUBACK (their protocol cannot say no), the message goes nowhere and the client stays connected. (HiveMQ's own
 * publish-authoriser denial would also disconnect the client; the authoriser still checks, as a second line.)
 * <p>
 * Threading: HiveMQ calls the authenticator and authorisers on its extension threads, concurrently; account look-ups
 * (possibly a database and a slow password hash) run on the extension executor, never on a network thread.
 */
final class BrokerSecurity
        implements ExtensionMain, SimpleAuthenticator, SubscriptionAuthorizer, PublishAuthorizer,
        PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
    private static final String ROLE = "callbox.role";
    private static final String UNIT = "callbox.unit";
    private static final String USER = "callbox.user";
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    private final HubCredential hubCredential;
    private final MqttAccounts accounts;
    private final TopicAccessPolicy policy;
    /**
     * This broker's extension executor, taken at start: HiveMQ's {@code Services} is a JVM-wide static that the next
     * broker started in the same JVM (a test, a failed restart) replaces.
     */
    private volatile ManagedExtensionExecutorService executor;

    BrokerSecurity(HubCredential hubCredential, MqttAccounts accounts, TopicAccessPolicy policy) {
        this.hubCredential = hubCredential;
        this.accounts = accounts;
        this.policy = policy;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        executor = Services.extensionExecutorService();
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> this);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> this);
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(this));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // nothing to release: the registry entries go with the broker
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> username = input.getConnectPacket().getUserName();
        Optional<ByteBuffer> passwordBuffer = input.getConnectPacket().getPassword();
        String clientId = input.getClientInformation().getClientId();
        if (username.isEmpty() || passwordBuffer.isEmpty()) {
            LOG.info("MQTT client '{}' refused: no username or password", clientId);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "credentials required");
            return;
        }
        byte[] password = bytes(passwordBuffer.get());
        if (hubCredential.matches(username.get(), password)) {
            remember(input, new MqttPrincipal(username.get(), Role.HUB, null));
            output.authenticateSuccessfully();
            return;
        }
        Async<SimpleAuthOutput> async = output.async(AUTH_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
        executor.submit(() -> {
            try {
                Optional<MqttPrincipal> principal = accounts.authenticate(username.get(), password);
                if (principal.isPresent() && principal.get().role() != Role.HUB) {
                    remember(input, principal.get());
                    output.authenticateSuccessfully();
                } else {
                    LOG.info("MQTT client '{}' refused: bad credentials for user '{}'", clientId, username.get());
                    output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad credentials");
                }
            } catch (RuntimeException e) {
                LOG.warn("MQTT client '{}' refused: account look-up failed", clientId, e);
                output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "accounts unavailable");
            } finally {
                async.resume();
            }
        });
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        MqttPrincipal principal = principalOf(input);
        String filter = input.getSubscription().getTopicFilter();
        if (policy.maySubscribe(principal, filter)) {
            output.authorizeSuccessfully();
        } else {
            LOG.info("MQTT subscribe denied: user '{}' filter '{}'", usernameOf(principal), filter);
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not allowed for this account");
        }
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        MqttPrincipal principal = principalOf(input);
        String topic = input.getPublishPacket().getTopic();
        if (policy.mayPublish(principal, topic, input.getPublishPacket().getRetain())) {
            output.authorizeSuccessfully();
        } else {
            LOG.info("MQTT publish denied: user '{}' topic '{}'", usernameOf(principal), topic);
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not allowed for this account");
        }
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        MqttPrincipal principal = principalOf(input);
        String topic = input.getPublishPacket().getTopic();
        if (!policy.mayPublish(principal, topic, input.getPublishPacket().getRetain())) {
            LOG.info("MQTT publish dropped: user '{}' may not publish on '{}'", usernameOf(principal), topic);
            if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not allowed for this account");
            } else {
                // any other reason code makes HiveMQ close a 3.x connection
                output.preventPublishDelivery();
            }
        }
    }

    private static void remember(ClientBasedInput input, MqttPrincipal principal) {
        ConnectionAttributeStore store = input.getConnectionInformation().getConnectionAttributeStore();
        store.putAsString(USER, principal.username());
        store.putAsString(ROLE, principal.role().name());
        if (principal.unitId() != null) {
            store.putAsString(UNIT, principal.unitId());
        }
    }

    /** The principal stored at CONNECT; null if the connection never authenticated through us. */
    private static MqttPrincipal principalOf(ClientBasedInput input) {
        ConnectionAttributeStore store = input.getConnectionInformation().getConnectionAttributeStore();
        Optional<String> role = store.getAsString(ROLE);
        if (role.isEmpty()) {
            return null;
        }
        try {
            return new MqttPrincipal(store.getAsString(USER).orElse(null), Role.valueOf(role.get()),
                    store.getAsString(UNIT).orElse(null));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String usernameOf(MqttPrincipal principal) {
        return principal == null ? "(none)" : principal.username();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
