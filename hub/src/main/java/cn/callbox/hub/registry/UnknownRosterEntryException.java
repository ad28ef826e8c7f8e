package cn.callbox.hub.registry;

/** A roster call named a unit, member or one-day override that does not exist; nothing was changed. */
final class UnknownRosterEntryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnknownRosterEntryException(String message) {
        super(message);
    }
}
