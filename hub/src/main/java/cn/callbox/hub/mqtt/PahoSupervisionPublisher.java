package cn.callbox.hub.mqtt;

import java.util.Objects;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import cn.callbox.hub.supervision.SupervisionEvents;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.mqtt.Topics;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes supervision events (JSON of {@link SupervisionEvents.LockerEvent}) on
 * {@code callbox/<township>/callboxes/<endpoint>/events}, QoS 1, not retained, over the hub's MQTT client (buffered
 * while the broker is down, see {@link HubMqttClient}). An endpoint that cannot be a topic level throws
 * {@link IllegalArgumentException} before anything is queued. Thread-safe.
 */
@Component
final class PahoSupervisionPublisher implements SupervisionEvents {

    private final HubMqttClient client;
    private final JsonMapper json;
    private final String township;

    PahoSupervisionPublisher(HubMqttClient client, HubProperties properties, ObjectProvider<JsonMapper> json) {
        this.client = Objects.requireNonNull(client, "client");
        this.json = json.getIfAvailable(() -> JsonMapper.builder().build());
        this.township = properties.township();
    }

    /** The events topic of a box; the protocol module has no constant for it yet. */
    static String eventsTopic(String township, String endpoint) {
        if (!Topics.isValidLevel(township) || !Topics.isValidLevel(endpoint)) {
            throw new IllegalArgumentException("not a valid topic level: '" + township + "' / '" + endpoint + "'");
        }
        return "callbox/" + township + "/callboxes/" + endpoint + "/events";
    }

    @Override
    public void publishEvent(String endpoint, LockerEvent event) {
        Objects.requireNonNull(event, "event");
        client.publish(eventsTopic(township, endpoint), json.writeValueAsBytes(event), false, null);
    }
}
