package cn.callbox.hub.mqtt;

import java.util.Optional;

/**
 * Checks the credentials of MQTT clients of the embedded broker (implemented over the registry). The hub's own client
 * is not checked here: the broker knows its generated credential itself.
 */
public interface MqttAccounts {

    /**
     * @return who the client is, or empty when the username is unknown or the password is wrong
     */
    Optional<MqttPrincipal> authenticate(String username, byte[] password);
}
