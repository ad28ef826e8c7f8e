package cn.callbox.hub.incident;

import cn.callbox.protocol.WireName;

/** The type of an incident log entry: one for every transition and every fact worth keeping. */
enum LogType implements WireName {
    /** The alarm was recorded. */
    RAISED,
    /** The box's panic button was pressed again while its incident was open (or too often): counted, not dispatched. */
    PRESSED_AGAIN,
    /** The box reported a press time the hub cannot believe; the hub's time was recorded instead. */
    PRESS_TIME_IMPLAUSIBLE,
    /** A unit was alerted (the entry names the unit and its role). */
    ALERTED,
    /** A member acknowledged for their unit. */
    ACKNOWLEDGED,
    /** The primary unit did not acknowledge in time: the next unit was alerted and the command centre flagged. */
    ESCALATED,
    /** Escalation was due but no unit was left to alert: the command centre must act. */
    ESCALATION_EXHAUSTED,
    /** An alerted unit's locker opened: muster evidence, seconds after the unit's alert. */
    MUSTER,
    /** After its muster, the unit's locker holds again every item it held before: the equipment check is closed. */
    EQUIPMENT_RETURNED,
    ON_SCENE,
    NEEDS_POLICE,
    NEEDS_AMBULANCE,
    RESOLVED,
    FALSE_ALARM,
    /** The command centre called the police (entry text names who, and the note). */
    POLICE_CALLED,
    /** The command centre closed the incident as resolved (entry text names who, and the note). */
    CLOSED;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
