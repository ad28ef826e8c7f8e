package cn.callbox.hub.system;

import java.util.List;

/**
 * The audit log of every device command and incident action (who, what, on what, when, with what result). Records are
 * never changed or deleted. Thread-safe; {@link #record} never throws (a failed write is logged as an ERROR).
 */
public interface AuditTrail {

    /**
     * @param actor the user name (or {@code system} for the hub's own jobs)
     * @param action short kebab-case verb, e.g. {@code siren-test}, {@code incident-close}, {@code drill-start}
     * @param target what it acted on: an endpoint, an incident id, a unit id...
     * @param detail free text for people (the result, a note); may be null
     */
    void record(String actor, String action, String target, String detail);

    /** The newest entries first, at most {@code limit}. */
    List<AuditEntry> latest(int limit);

    /** @param at ISO-8601 UTC */
    record AuditEntry(long id, String at, String actor, String action, String target, String detail) {
    }
}
