package cn.callbox.hub.readiness;

/**
 * Told when a unit's readiness changed (any field: state, on-duty count, leader, an item count), and once for every
 * unit after the duty day changed (midnight Asia/Shanghai) even if nothing changed (then {@code previous} equals
 * {@code current}), for history, status and rectification. Implementations are Spring beans; every bean of this type is called, in no fixed order, on the
 * readiness monitor's own thread ({@link ReadinessMonitor}), one change at a time, so the changes of a unit arrive in
 * order: return quickly and do not throw (an exception is logged and swallowed).
 */
public interface ReadinessListener {

    /**
     * @param previous the readiness before the change; null for the first judgement after the hub started
     * @param current the readiness now
     */
    void readinessChanged(ReadinessService.UnitReadiness previous, ReadinessService.UnitReadiness current);
}
