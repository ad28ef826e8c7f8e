package cn.callbox.hub.registry;

import java.time.LocalDate;

/**
 * Told when a unit's duty for a day changed (roster pattern, swap or one-day override), so that readiness can be
 * judged again. Implementations are Spring beans; every bean of this type is called after the change is committed.
 * Return quickly and do not throw (an exception is logged and swallowed).
 */
public interface DutyListener {

    void dutyChanged(String unitId, LocalDate day);
}
