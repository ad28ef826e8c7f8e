package cn.callbox.hub.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.springframework.stereotype.Component;

import cn.callbox.hub.rectification.RectificationPublisher;
import cn.callbox.hub.system.HubProperties;

/**
 * Publishes rectification tasks over the hub's MQTT client: the task JSON on
 * {@code callbox/<township>/rectifications/<id>}, QoS 1, retained (the latest state stays on the broker). Returns at
 * once (see {@link HubMqttClient}). An id that cannot be a topic level throws {@link IllegalArgumentException}.
 * A component of its own (not in {@link MqttConfiguration}) because the rectification feature owns it.
 */
@Component
final class PahoRectificationPublisher implements RectificationPublisher {

    private final HubMqttClient client;
    private final String township;

    PahoRectificationPublisher(HubMqttClient client, HubProperties properties) {
        this.client = client;
        this.township = properties.township();
    }

    @Override
    public void publishRectification(String taskId, String taskJson) {
        Objects.requireNonNull(taskJson, "taskJson");
        if (taskId == null || taskId.isEmpty() || taskId.contains("/") || taskId.contains("+")
                || taskId.contains("#")) {
            throw new IllegalArgumentException("not a topic level: " + taskId);
        }
        client.publish(topic(township, taskId), taskJson.getBytes(StandardCharsets.UTF_8), true, null);
    }

    static String topic(String township, String taskId) {
        return "callbox/" + township + "/rectifications/" + taskId;
    }
}
