package cn.callbox.hub.incident;

/** No incident has the id (REST: 404). */
class IncidentNotFoundException extends RuntimeException {

    IncidentNotFoundException(String id) {
        super("no incident " + id);
    }
}
