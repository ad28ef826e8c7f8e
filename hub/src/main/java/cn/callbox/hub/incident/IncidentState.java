package cn.callbox.hub.incident;

import cn.callbox.protocol.WireName;

/**
 * Lifecycle of an incident: raised → acknowledged → responding → resolved or false-alarm. Acknowledged may be
 * skipped (a leader reports on-scene before anyone acknowledged); the last two are final.
 */
enum IncidentState implements WireName {
    /** Recorded; units alerted, nobody acknowledged yet. */
    RAISED,
    /** A member of an alerted unit acknowledged. */
    ACKNOWLEDGED,
    /** A duty leader reported the unit on scene. */
    RESPONDING,
    /** Closed: handled. */
    RESOLVED,
    /** Closed: nothing had happened. */
    FALSE_ALARM;

    @Override
    public String wireName() {
        return WireName.of(this);
    }

    boolean closed() {
        return this == RESOLVED || this == FALSE_ALARM;
    }
}
