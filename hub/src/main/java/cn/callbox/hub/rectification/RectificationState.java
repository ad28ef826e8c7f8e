package cn.callbox.hub.rectification;

/**
 * Where a task stands; wire names as in {@code GET /api/rectifications}. The path is open → notified → rectified →
 * closed; a task not rectified by its deadline becomes overdue (escalated to the command centre) and can still be
 * rectified. A rectified or closed task can be reopened (back to notified).
 */
enum RectificationState {
    /** Recorded; the notification has not gone out yet (the next tick retries). */
    OPEN("open"),
    /** The assignee and the command centre were told (MQTT). */
    NOTIFIED("notified"),
    /** Past its deadline without rectification: escalated to the command centre. */
    OVERDUE("overdue"),
    /** Sensors show the item back, or the unit reported a rectification with evidence; waits for verification. */
    RECTIFIED("rectified"),
    /** Verified by township staff. */
    CLOSED("closed");

    private final String wireName;

    RectificationState(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** Still needs the unit's work: a new finding of the same problem is the same task. */
    boolean active() {
        return this == OPEN || this == NOTIFIED || this == OVERDUE;
    }

    static RectificationState fromWire(String wire) {
        for (RectificationState s : values()) {
            if (s.wireName.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown rectification state: " + wire);
    }
}
