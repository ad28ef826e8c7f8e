package cn.callbox.hub.incident;

/**
 * Takes alarms from call boxes (implemented by the incident service, called by the LwM2M adapter).
 */
public interface AlarmReceiver {

    /**
     * Records the alarm as an incident and starts its dispatch. Idempotent on endpoint + sequence: a resent alarm
     * returns the incident it made the first time and alerts nobody again.
     * <p>
     * Called on a transport thread: returns once the incident is recorded; alerting runs asynchronously.
     *
     * @return the incident id
     * @throws UnknownCallBoxException when the endpoint is not in the registry
     */
    String receive(AlarmRecord alarm);
}
