package cn.callbox.hub.incident;

/** The member belongs to no unit alerted for the incident, so cannot acknowledge it (REST: 422). */
class NotAlertedMemberException extends RuntimeException {

    NotAlertedMemberException(String memberId, String incidentId) {
        super("member " + memberId + " belongs to no unit alerted for incident " + incidentId);
    }
}
