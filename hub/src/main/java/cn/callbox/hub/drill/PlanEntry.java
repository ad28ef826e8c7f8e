package cn.callbox.hub.drill;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One planned surprise drill of the year's plan.
 *
 * @param id {@code DP-<year>-<8 chars>}
 * @param month the month the drill belongs to (its {@code plannedAt} lies in it, township time)
 * @param plannedAt when the drill is to start: a working day between 08:00 and 18:00 Asia/Shanghai
 * @param drillId the drill that ran this entry; null while it has not run
 */
record PlanEntry(String id, String unitId, YearMonth month, Instant plannedAt, String drillId) {

    PlanEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(plannedAt, "plannedAt");
    }

    boolean ran() {
        return drillId != null;
    }

    PlanEntry ranAs(String drill) {
        return new PlanEntry(id, unitId, month, plannedAt, drill);
    }
}
