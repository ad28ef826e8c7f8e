package cn.callbox.hub.incident;

import cn.callbox.protocol.mqtt.UnitAlert;

/**
 * Publishes alerts and incident state to members and the command centre (implemented over MQTT). Returns at once:
 * while the broker is unreachable messages are queued and delivered when it is back; an alert that has expired by
 * then is dropped by the broker, not by the hub.
 */
public interface AlarmPublisher {

    /** An alert to every member of {@code unitId} (topic {@code callbox/<township>/units/<unit>/alerts}). */
    void publishAlert(String unitId, UnitAlert alert);

    /**
     * The incident's current state, retained on {@code callbox/<township>/incidents/<id>}.
     *
     * @param incidentJson the same JSON as {@code GET /api/incidents/{id}}
     */
    void publishIncident(String incidentId, String incidentJson);
}
