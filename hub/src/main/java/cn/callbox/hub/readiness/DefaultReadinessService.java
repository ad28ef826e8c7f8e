package cn.callbox.hub.readiness;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.ItemKind;

/**
 * Judges readiness from today's duty (registry) and what the unit's lockers report (LwM2M presence), against the
 * {@link EquipmentStandard}. "Today" is the date in the township's zone, Asia/Shanghai.
 * <p>
 * Present counts are summed over all of the unit's call boxes, with the last known counts of a box that went offline
 * (a box never read since the hub started counts 0). The state follows the precedence of
 * {@link ReadinessService.State}: box-offline, then understaffed, then kit-missing, else ready; so an unreachable
 * locker always makes the unit not ready: the hub cannot vouch for kit it cannot see. Thread-safe; every call reads
 * the current state afresh.
 */
public class DefaultReadinessService implements ReadinessService {

    /** The township's zone: duty days are planned in local dates. */
    public static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");

    private final TownshipDirectory directory;
    private final CallBoxPresence presence;
    private final EquipmentStandard standard;
    private final Clock clock;

    DefaultReadinessService(TownshipDirectory directory, CallBoxPresence presence, EquipmentStandard standard,
            Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.standard = Objects.requireNonNull(standard, "standard");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** With the township standard of DOMAIN.md §4.3. */
    public DefaultReadinessService(TownshipDirectory directory, CallBoxPresence presence, Clock clock) {
        this(directory, presence, EquipmentStandard.TOWNSHIP, clock);
    }

    @Override
    public UnitReadiness readinessOf(String unitId) {
        UnitInfo unit = directory.unit(unitId).orElseThrow(() -> new NoSuchElementException("unknown unit: " + unitId));
        LocalDate today = LocalDate.now(clock.withZone(TOWNSHIP_ZONE));
        DutyDay duty = directory.duty(unitId, today);
        String leader = duty == null ? null : duty.leaderId();
        Set<String> onDuty = new LinkedHashSet<>();
        if (duty != null && duty.onDuty() != null) {
            onDuty.addAll(duty.onDuty());
        }
        if (leader != null) {
            onDuty.add(leader); // the leader is on duty even if the plan forgot to list them twice
        }

        List<String> problems = new ArrayList<>();
        boolean boxOffline = false;
        for (String box : unit.callBoxes()) {
            if (!presence.presenceOf(box).online()) {
                boxOffline = true;
                problems.add("box " + box + " offline");
            }
        }
        boolean understaffed = leader == null || onDuty.size() < EquipmentStandard.MIN_ON_DUTY;
        if (leader == null) {
            problems.add("no duty leader");
        }
        if (onDuty.size() < EquipmentStandard.MIN_ON_DUTY) {
            problems.add(onDuty.size() + " on duty, " + EquipmentStandard.MIN_ON_DUTY + " needed");
        }
        boolean kitMissing = false;
        List<ItemReadiness> items = new ArrayList<>();
        for (EquipmentStandard.Requirement requirement : standard.requirements()) {
            int required = requirement.required(onDuty.size());
            int present = present(unit, requirement.kind());
            items.add(new ItemReadiness(requirement.kind().wireName(), required, present));
            if (present < required) {
                problems.add(requirement.kind().wireName() + " " + present + " of " + required);
                kitMissing = true;
            }
        }
        State state = boxOffline ? State.BOX_OFFLINE
                : understaffed ? State.UNDERSTAFFED
                : kitMissing ? State.KIT_MISSING
                : State.READY;
        return new UnitReadiness(unitId, state, onDuty.size(), leader, items, problems);
    }

    private int present(UnitInfo unit, ItemKind kind) {
        int sum = 0;
        for (String box : unit.callBoxes()) {
            Map<ItemKind, Integer> items = presence.presenceOf(box).itemsPresent();
            Integer count = items == null ? null : items.get(kind);
            sum += count == null ? 0 : Math.max(count, 0);
        }
        return sum;
    }
}
