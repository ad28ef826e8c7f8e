package cn.callbox.hub.incident;

/** A unit leader asks for an incident their unit was not alerted for (REST: 403). */
class IncidentForbiddenException extends RuntimeException {

    IncidentForbiddenException(String incidentId, String username) {
        super("incident " + incidentId + " is not one of the unit of " + username);
    }
}
