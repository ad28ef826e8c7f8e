package cn.callbox.hub.incident;

/** Takes members' acknowledgements that arrive over MQTT (implemented by the incident service). */
public interface AckReceiver {

    /**
     * A member of {@code unitId} acknowledged an alert. The broker already checked that the publisher may write to
     * that unit's topic; the service still checks that the member belongs to the unit and the unit was alerted, and
     * ignores (with a log line) anything else. Called on an MQTT thread; returns quickly.
     */
    void acknowledged(String unitId, String incidentId, String memberId);
}
