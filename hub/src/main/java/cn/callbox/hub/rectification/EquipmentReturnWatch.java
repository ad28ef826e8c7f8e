package cn.callbox.hub.rectification;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.readiness.ReadinessListener;
import cn.callbox.hub.readiness.ReadinessService.ItemReadiness;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;

/**
 * Closes an incident's equipment check: when items leave a unit's lockers while the unit has an open incident (the
 * kit in use, which {@link ReadinessRectifier} does not count as a finding), the unit's counts just before are kept;
 * when every kind is back at least at that count (the incident may be closed by then: kit comes back after the
 * work), the incident service is told, and it logs {@code equipment-returned} on the incidents where the unit
 * mustered. Counts are not judged while a box of the unit is offline (the hub cannot see the whole locker).
 * <p>
 * It lives beside the rectifier because both read the same unit-level counts and the same "kit in use" rule. The
 * counts before are kept in memory: after a restart, a return is not logged. Called on the readiness monitor's thread.
 */
final class EquipmentReturnWatch implements ReadinessListener {

    private static final Logger LOG = LoggerFactory.getLogger(EquipmentReturnWatch.class);

    private final Predicate<String> inIncident;
    private final BiConsumer<String, Instant> returned;
    private final Clock clock;
    /** unit → per kind, the count before items left during an incident, until they are all back. */
    private final Map<String, Map<String, Integer>> before = new ConcurrentHashMap<>();

    /**
     * @param inIncident whether the unit has an open incident
     * @param returned told (unit, when) that the unit's items are all back
     */
    EquipmentReturnWatch(Predicate<String> inIncident, BiConsumer<String, Instant> returned, Clock clock) {
        this.inIncident = Objects.requireNonNull(inIncident, "inIncident");
        this.returned = Objects.requireNonNull(returned, "returned");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void readinessChanged(UnitReadiness previous, UnitReadiness current) {
        String unit = current.unitId();
        Map<String, Integer> stocked = before.get(unit);
        if (stocked == null) {
            if (previous != null && fell(previous, current) && inIncident(unit)) {
                Map<String, Integer> counts = new HashMap<>();
                previous.items().forEach(item -> counts.put(item.kind(), item.present()));
                before.put(unit, counts);
                LOG.debug("Unit {} took kit out during an incident; counts before: {}", unit, counts);
            }
            return;
        }
        if (current.state() == State.BOX_OFFLINE) {
            return;
        }
        for (Map.Entry<String, Integer> kind : stocked.entrySet()) {
            ItemReadiness item = current.item(kind.getKey());
            if (item == null || item.present() < kind.getValue()) {
                return;
            }
        }
        before.remove(unit);
        LOG.info("Unit {}: every item taken during the incident is back", unit);
        returned.accept(unit, clock.instant());
    }

    private static boolean fell(UnitReadiness previous, UnitReadiness current) {
        for (ItemReadiness item : current.items()) {
            ItemReadiness was = previous.item(item.kind());
            if (was != null && item.present() < was.present()) {
                return true;
            }
        }
        return false;
    }

    private boolean inIncident(String unit) {
        try {
            return inIncident.test(unit);
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell whether unit {} has an open incident: {}", unit, e.toString());
            return false;
        }
    }
}
