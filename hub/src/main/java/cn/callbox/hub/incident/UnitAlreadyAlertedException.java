package cn.callbox.hub.incident;

/** The command centre alerts a unit that is already alerted for the incident (REST: 409). */
class UnitAlreadyAlertedException extends RuntimeException {

    UnitAlreadyAlertedException(String incidentId, String unitId) {
        super("unit " + unitId + " is already alerted for incident " + incidentId);
    }
}
