package cn.callbox.protocol;

/** Siren patterns: a real alarm, a readiness drill, and the short self-test pulse. */
public enum SirenPattern implements WireName {
    ALARM, DRILL, TEST;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
