package cn.callbox.hub.incident;

/**
 * Told of every change of an incident, with the same JSON as {@code GET /api/incidents/{id}} and the retained
 * incidents topic (the console follows incidents through this). Implementations are Spring beans; every bean of this
 * type is called, under the incident's monitor, right after the MQTT publication: return at once and do not throw (an
 * exception is logged and swallowed).
 */
public interface IncidentListener {

    void incidentChanged(String incidentId, String incidentJson);
}
