package cn.callbox.hub.registry;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Read side of the township registry (township → villages → points → call boxes; units, members, duty), as dispatch,
 * readiness and the API need it. Implemented over the database; tests use an in-memory fake.
 */
public interface TownshipDirectory {

    Optional<CallBoxInfo> callBox(String endpoint);

    /** Every registered call box, ordered by endpoint. */
    List<CallBoxInfo> callBoxes();

    Optional<UnitInfo> unit(String unitId);

    /** Every unit, ordered by id. */
    List<UnitInfo> units();

    /** The unit's members, ordered by id; empty for an unknown unit. */
    List<MemberInfo> members(String unitId);

    /**
     * Who is on duty in the unit on {@code day}: the day's one-day override if any, else the unit's weekly pattern
     * (or, for a unit without one, its per-day plan) with the day's swaps applied; an empty day when nothing is planned.
     */
    DutyDay duty(String unitId, LocalDate day);

    /**
     * A call box as dispatch sees it.
     *
     * @param endpoint LwM2M endpoint
     * @param place zh-CN name of the box's point (said in announcements), e.g. 后山场镇集市
     * @param pointId the point (village + grid, market...) the box stands at
     * @param villageId the box's village
     * @param villageName zh-CN village name
     * @param lat WGS-84 latitude
     * @param lon WGS-84 longitude
     * @param unitId the unit responsible for the point: the primary unit of the box's alarms
     */
    record CallBoxInfo(String endpoint, String place, String pointId, String villageId, String villageName, double lat,
            double lon, String unitId) {
    }

    /**
     * @param id unit id, a valid MQTT topic level
     * @param name zh-CN name
     * @param villageId the unit's village
     * @param villageName zh-CN village name
     * @param lat latitude of the unit's home point (distances between units are measured from here)
     * @param lon longitude of the unit's home point
     * @param callBoxes endpoints of the boxes at the points the unit is responsible for
     */
    record UnitInfo(String id, String name, String villageId, String villageName, double lat, double lon,
            List<String> callBoxes) {
    }

    /**
     * @param role e.g. 综治专干, 警务助理, 驻村辅警, 民兵, 村医, 治安积极分子
     * @param resident actually lives in the village (DOMAIN.md: every member must)
     */
    record MemberInfo(String id, String unitId, String name, String role, boolean resident) {
    }

    /**
     * @param leaderId the duty leader (值班长); null when none is planned
     * @param onDuty member ids on duty, the leader included
     */
    record DutyDay(String unitId, LocalDate day, String leaderId, List<String> onDuty) {
    }
}
