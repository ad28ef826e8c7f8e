package cn.callbox.hub.incident;

/** The incident is resolved or a false alarm and takes no more acknowledgements or reports (REST: 409). */
class IncidentClosedException extends RuntimeException {

    IncidentClosedException(String id, IncidentState state) {
        super("incident " + id + " is closed (" + state.wireName() + ")");
    }
}
