package cn.callbox.hub.mqtt;

/**
 * An authenticated MQTT client.
 *
 * @param username the login name
 * @param role what it may do
 * @param unitId the member's unit; null for other roles
 */
public record MqttPrincipal(String username, Role role, String unitId) {

    public enum Role {
        /** The hub's own client: publishes alerts, incidents and status, reads acks. */
        HUB,
        /** Township staff: reads every topic of the township, publishes nothing. */
        ADMIN,
        /** A unit member: reads its own unit's topics, publishes only on its unit's ack topic. */
        MEMBER
    }
}
