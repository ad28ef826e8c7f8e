package cn.callbox.hub.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.incident.AlarmPublisher;
import cn.callbox.protocol.mqtt.CallBoxStatus;
import cn.callbox.protocol.mqtt.Topics;
import cn.callbox.protocol.mqtt.UnitAlert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes over the hub's MQTT client (ARCHITECTURE.md, MQTT topics), QoS 1:
 * <ul>
 * <li>alerts: JSON of {@link UnitAlert} on {@code callbox/<t>/units/<unit>/alerts}, not retained, with MQTT 5 message
 * expiry {@code callbox.mqtt.alert-expiry};</li>
 * <li>incidents: the given JSON on {@code callbox/<t>/incidents/<id>}, retained;</li>
 * <li>call-box status: JSON of {@link CallBoxStatus} on {@code callbox/<t>/callboxes/<endpoint>/status}, retained;
 * a retired box's is cleared with an empty retained message (live subscribers receive that empty payload).</li>
 * </ul>
 * Every method returns at once (see {@link HubMqttClient} for buffering while the broker is down). Ids that cannot
 * be a topic level and null payloads throw {@link IllegalArgumentException} / {@link NullPointerException} before
 * anything is queued. Thread-safe.
 */
public final class PahoAlarmPublisher implements AlarmPublisher, CallBoxStatusPublisher {

    private final HubMqttClient client;
    private final JsonMapper json;
    private final String township;
    private final Duration alertExpiry;

    PahoAlarmPublisher(HubMqttClient client, JsonMapper json, String township, Duration alertExpiry) {
        this.client = client;
        this.json = json;
        this.township = township;
        this.alertExpiry = alertExpiry;
    }

    @Override
    public void publishAlert(String unitId, UnitAlert alert) {
        Objects.requireNonNull(alert, "alert");
        client.publish(Topics.alerts(township, unitId), json.writeValueAsBytes(alert), false, alertExpiry);
    }

    @Override
    public void publishIncident(String incidentId, String incidentJson) {
        Objects.requireNonNull(incidentJson, "incidentJson");
        client.publish(Topics.incident(township, incidentId), incidentJson.getBytes(StandardCharsets.UTF_8), true,
                null);
    }

    @Override
    public void publishStatus(String endpoint, CallBoxStatus status) {
        Objects.requireNonNull(status, "status");
        client.publish(Topics.callBoxStatus(township, endpoint), json.writeValueAsBytes(status), true, null);
    }

    @Override
    public void clearStatus(String endpoint) {
        client.publish(Topics.callBoxStatus(township, endpoint), new byte[0], true, null);
    }
}
