package cn.callbox.hub.readiness;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.LockerListener;
import cn.callbox.hub.device.LockerReadiness;
import cn.callbox.hub.device.PresenceListener;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.DutyListener;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.ItemKind;

/**
 * Keeps the last readiness judgement of every unit and tells every {@link ReadinessListener} when it changed.
 * <p>
 * A unit is judged again on every locker change and every online/offline change of one of its boxes, on every duty
 * change of the unit, and for all units when the duty day changes (midnight Asia/Shanghai, noticed by {@link #tick()}
 * on the hub's clock). After a day change, the next judgement of every unit is told to the listeners even when it
 * did not change, so that findings made per duty day (an understaffed day) are made for the new day. Judging runs on the given executor, one unit at a time in production (a single thread): the
 * events arrive on transport threads that hold a call box's lock, and judging reads every box of the unit, so judging
 * on the caller's thread could deadlock two boxes of one unit. Requests for a unit already waiting are coalesced.
 * <p>
 * Also answers {@code lockerReady} for the call-box status topic ({@link LockerReadiness}): the box's unit has every
 * required item, from the last judgement, whatever the state's precedence hides. When that answer changes for a unit,
 * the status of each of its boxes is published again. Thread-safe.
 */
public class ReadinessMonitor implements LockerListener, PresenceListener, DutyListener, LockerReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessMonitor.class);

    private final ReadinessService judge;
    private final TownshipDirectory directory;
    private final Supplier<List<ReadinessListener>> listeners;
    private final Consumer<String> republishStatus;
    private final Executor executor;
    private final Clock clock;

    private final Map<String, UnitReadiness> last = new ConcurrentHashMap<>();
    /** box endpoint → unit id, learnt while judging (so that {@link #lockerReady} never touches the database). */
    private final Map<String, String> unitOfBox = new ConcurrentHashMap<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    /** Units whose next judgement is told even if unchanged: the duty day changed, and findings are per day. */
    private final Set<String> retell = ConcurrentHashMap.newKeySet();
    private volatile LocalDate judgedDay;

    /**
     * @param listeners the listeners to tell, looked up on every change
     * @param republishStatus publishes a box's status again (with the new {@code lockerReady})
     * @param executor where judging runs; a single thread in production, the caller's thread in tests
     */
    public ReadinessMonitor(ReadinessService judge, TownshipDirectory directory,
            Supplier<List<ReadinessListener>> listeners, Consumer<String> republishStatus, Executor executor,
            Clock clock) {
        this.judge = Objects.requireNonNull(judge, "judge");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.republishStatus = Objects.requireNonNull(republishStatus, "republishStatus");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The last judgement of the unit; empty before the first. */
    public Optional<UnitReadiness> last(String unitId) {
        return Optional.ofNullable(last.get(unitId));
    }

    /** Judges every unit (at start and when the duty day changes). */
    public void judgeAll() {
        LocalDate today = today();
        boolean newDay = judgedDay != null && !today.equals(judgedDay);
        judgedDay = today;
        List<UnitInfo> units;
        try {
            units = directory.units();
        } catch (RuntimeException e) {
            LOG.error("Cannot list the units to judge their readiness: {}", e.toString());
            return;
        }
        for (UnitInfo unit : units) {
            if (newDay) {
                retell.add(unit.id());
            }
            request(unit.id());
        }
    }

    /** Judges every unit again when the duty day (Asia/Shanghai) changed since the last time. */
    public void tick() {
        LocalDate today = today();
        if (!today.equals(judgedDay)) {
            LOG.info("Duty day is now {}: judging every unit's readiness again", today);
            judgeAll();
        }
    }

    @Override
    public void lockerChanged(String endpoint, Boolean doorOpen, Map<ItemKind, Integer> itemsPresent) {
        boxChanged(endpoint);
    }

    @Override
    public void onlineChanged(String endpoint, CallBoxPresence.Presence presence) {
        boxChanged(endpoint);
    }

    @Override
    public void dutyChanged(String unitId, LocalDate day) {
        // a change for another day matters when that day comes: the day change judges every unit then
        if (day == null || day.equals(today())) {
            request(unitId);
        }
    }

    @Override
    public Boolean lockerReady(String endpoint) {
        String unitId = unitOfBox.get(endpoint);
        UnitReadiness readiness = unitId == null ? null : last.get(unitId);
        return readiness == null ? null : kitComplete(readiness);
    }

    private void boxChanged(String endpoint) {
        String unitId = unitOfBox.get(endpoint);
        if (unitId == null) {
            try {
                unitId = directory.callBox(endpoint).map(TownshipDirectory.CallBoxInfo::unitId).orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("Cannot find the unit of call box {}: {}", endpoint, e.toString());
                return;
            }
        }
        if (unitId != null) {
            request(unitId);
        }
    }

    /** Asks for the unit to be judged; a request already waiting for it covers this one. */
    void request(String unitId) {
        if (!waiting.add(unitId)) {
            return;
        }
        try {
            executor.execute(() -> {
                waiting.remove(unitId);
                judge(unitId);
            });
        } catch (RejectedExecutionException e) {
            waiting.remove(unitId);
            LOG.debug("Readiness of unit {} not judged: shutting down", unitId);
        }
    }

    private void judge(String unitId) {
        UnitReadiness current;
        try {
            current = judge.readinessOf(unitId);
            directory.unit(unitId).ifPresent(unit -> unit.callBoxes().forEach(box -> unitOfBox.put(box, unitId)));
        } catch (RuntimeException e) {
            LOG.warn("Readiness of unit {} cannot be judged now: {}", unitId, e.toString());
            return;
        }
        UnitReadiness previous = last.put(unitId, current);
        boolean newDay = retell.remove(unitId);
        if (current.equals(previous) && !newDay) {
            return;
        }
        LOG.debug("Readiness of unit {} is now {} ({})", unitId, current.state(), current.problems());
        if (previous == null || kitComplete(previous) != kitComplete(current)) {
            for (String box : unitOfBox.keySet()) {
                if (unitId.equals(unitOfBox.get(box))) {
                    republish(box);
                }
            }
        }
        for (ReadinessListener listener : listeners.get()) {
            try {
                listener.readinessChanged(previous, current);
            } catch (RuntimeException e) {
                LOG.warn("A readiness listener failed for unit {}", unitId, e);
            }
        }
    }

    private void republish(String box) {
        try {
            republishStatus.accept(box);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the status of call box {} again: {}", box, e.toString());
        }
    }

    private static boolean kitComplete(UnitReadiness readiness) {
        return readiness.items().stream().noneMatch(ReadinessService.ItemReadiness::missing);
    }

    private LocalDate today() {
        return LocalDateTime.ofInstant(clock.instant(), DefaultReadinessService.TOWNSHIP_ZONE).toLocalDate();
    }
}
