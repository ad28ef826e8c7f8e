package cn.callbox.protocol;

/** Why units are alerted: a villager's panic call, a readiness drill, or a test. */
public enum IncidentKind implements WireName {
    PANIC, DRILL, TEST;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
