package cn.callbox.protocol;

/** The pressing box's view of its call (object 33004): shown on the lamp, said on the loudspeaker. */
public enum CallState implements WireName {
    /** No call in progress. */
    IDLE,
    /** Pressed; the alarm record is in the outbox and not yet acknowledged by the hub. */
    SENDING,
    /** The hub recorded an incident and alerted units. */
    RECEIVED,
    /** A member of an alerted unit acknowledged. */
    ACKNOWLEDGED,
    /** The duty leader reported the unit on its way or on scene. */
    RESPONDING;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
