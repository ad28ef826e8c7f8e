package cn.callbox.hub.testing;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import cn.callbox.hub.registry.TownshipDirectory;

/**
 * A township with nothing registered: no call boxes, no units, no members, and an empty duty day (no leader, nobody on
 * duty) for every unit and day. Test fakes extend it and override only the lookups their test gives data to, so the
 * "nothing here" answers are written once.
 *
 * <p>Stateless and thread-safe; subclasses that keep state must see to their own.
 */
public class EmptyTownshipDirectory implements TownshipDirectory {

    @Override
    public Optional<CallBoxInfo> callBox(String endpoint) {
        return Optional.empty();
    }

    @Override
    public List<CallBoxInfo> callBoxes() {
        return List.of();
    }

    @Override
    public Optional<UnitInfo> unit(String unitId) {
        return Optional.empty();
    }

    @Override
    public List<UnitInfo> units() {
        return List.of();
    }

    @Override
    public List<MemberInfo> members(String unitId) {
        return List.of();
    }

    @Override
    public DutyDay duty(String unitId, LocalDate day) {
        return new DutyDay(unitId, day, null, List.of());
    }
}
