package cn.callbox.hub.incident;

/**
 * An alarm was taken and dispatched from memory, but it is not in the database yet (the database does not answer).
 * The transport must not acknowledge it to the box: the box keeps it in its outbox and sends it again, and the resend
 * is acknowledged once the incident is stored. Nobody is alerted twice for the resend.
 */
public final class AlarmNotStoredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AlarmNotStoredException(String incidentId) {
        super("incident " + incidentId + " is dispatched but not stored in the database yet");
    }
}
