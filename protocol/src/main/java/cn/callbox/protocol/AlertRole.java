package cn.callbox.protocol;

/** An alerted unit's part in an incident. */
public enum AlertRole implements WireName {
    /** The unit responsible for the box's point. */
    PRIMARY,
    /** A nearby unit called to help (一呼百应), or added by escalation. */
    SUPPORT;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
