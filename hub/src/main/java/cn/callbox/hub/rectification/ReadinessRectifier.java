package cn.callbox.hub.rectification;

import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.readiness.ReadinessListener;
import cn.callbox.hub.readiness.ReadinessService.ItemReadiness;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;

/**
 * Turns readiness changes into rectification tasks:
 * <ul>
 * <li>kit: an item that leaves a unit's lockers outside an incident (a kind's count falls) opens a
 * {@code kit-missing} task with the kind as subject, even while the unit still meets the standard: the locker is the
 * unit's store, and an empty slot is followed up until the item is back or explained. A standard that rises (more on
 * duty) above what the lockers hold opens one too. Optional kit (required 0) is never a finding. A first judgement
 * is never a finding either: when the hub starts, lockers are read one item at a time, and counts still rising say
 * nothing. Instead, once a unit's judgement is complete after the start (every box of the unit online and its
 * locker read) and has stayed so for {@link #SETTLE}, {@link #tick()} opens a task for every required kind short in
 * its latest judgement (the wait lets a locker being read item by item finish). The task is rectified by the sensors
 * ("sensors show the item back") when the kind is back at the count it had before it fell and at least at the
 * required count, unless a box of the unit is offline (the hub cannot see the whole locker);</li>
 * <li>duty: no leader or fewer than 3 on duty opens one {@code understaffed} task for the duty day (subject: the
 * ISO date), also when the hub starts on an understaffed day, and again for the new day when the unit stays
 * understaffed over midnight (the monitor tells every unit again after the day changed); a roster that is fixed the
 * same day rectifies it, and so does the first judgement after a restart that finds the day staffed.</li>
 * </ul>
 * Items taken while the unit has an open incident are the kit in use, not a finding. The level a kind had before it
 * fell is kept in memory: after a restart, the required count alone decides. Called on the readiness monitor's thread
 * and ({@link #tick()}) on the rectification ticker's; both are serialised on this object.
 */
final class ReadinessRectifier implements ReadinessListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessRectifier.class);
    private static final int MIN_ON_DUTY = 3;
    /** How long a unit's lockers must have been complete before what they lack counts as a finding at start. */
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final RectificationTasks tasks;
    private final RectificationService service;
    private final Predicate<String> inIncident;
    private final Predicate<String> lockersRead;
    private final Clock clock;
    /** unit + "/" + kind → the count before the kind fell, while its task waits for the item. */
    private final Map<String, Integer> stocked = new ConcurrentHashMap<>();
    /** Units whose kit was checked once completely since the start. */
    private final Set<String> kitChecked = ConcurrentHashMap.newKeySet();
    /** Units not checked yet → since when their lockers are complete; the latest judgement of every unit. */
    private final Map<String, Instant> completeSince = new ConcurrentHashMap<>();
    private final Map<String, UnitReadiness> latest = new ConcurrentHashMap<>();
    /** unit → the duty day its understaffed task was opened for, while the unit stays understaffed. */
    private final Map<String, String> understaffedDay = new ConcurrentHashMap<>();
    private final ResourceBundle texts = ResourceBundle.getBundle("messages", Locale.ROOT,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));

    /**
     * @param inIncident whether the unit has an open incident (its kit is in use)
     * @param lockersRead whether every call box of the unit is online and has reported its locker's items (there is at
     *        least one box)
     */
    ReadinessRectifier(RectificationService service, Predicate<String> inIncident, Predicate<String> lockersRead,
            Clock clock) {
        this.tasks = Objects.requireNonNull(service, "service");
        this.service = service;
        this.inIncident = Objects.requireNonNull(inIncident, "inIncident");
        this.lockersRead = Objects.requireNonNull(lockersRead, "lockersRead");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void readinessChanged(UnitReadiness previous, UnitReadiness current) {
        String unit = current.unitId();
        latest.put(unit, current);
        boolean canSeeLockers = current.state() != State.BOX_OFFLINE;
        for (ItemReadiness item : current.items()) {
            if (item.required() == 0) {
                continue;
            }
            ItemReadiness before = previous == null ? null : previous.item(item.kind());
            String key = unit + "/" + item.kind();
            boolean fell = before != null && item.present() < before.present();
            if (fell && !inIncident(unit)) {
                stocked.merge(key, before.present(), Math::max);
                tasks.open(unit, RectificationTasks.Reason.KIT_MISSING, item.kind(),
                        text("rectification.detail.kit-missing", itemName(item.kind()), item.present(),
                                Math.max(item.required(), before.present())));
            } else if (before != null && item.missing() && !before.missing()) {
                tasks.open(unit, RectificationTasks.Reason.KIT_MISSING, item.kind(),
                        text("rectification.detail.kit-missing", itemName(item.kind()), item.present(),
                                item.required()));
            } else if (canSeeLockers && !fell
                    && item.present() >= Math.max(item.required(), stocked.getOrDefault(key, 0))
                    && (before == null || before.present() < item.present() || before.missing()
                            || previous.state() == State.BOX_OFFLINE)) {
                stocked.remove(key);
                service.rectifiedBySensors(unit, RectificationTasks.Reason.KIT_MISSING, item.kind(),
                        "sensors show the item back (" + item.present() + " present, " + item.required()
                                + " required)");
            }
        }
        if (!kitChecked.contains(unit)) {
            if (canSeeLockers && test(lockersRead, unit)) {
                completeSince.putIfAbsent(unit, clock.instant());
            } else {
                completeSince.remove(unit);
            }
        }
        String day = LocalDate.ofInstant(clock.instant(), RectificationService.TOWNSHIP_ZONE).toString();
        if (understaffed(current)) {
            if (!day.equals(understaffedDay.get(unit))) {
                tasks.open(unit, RectificationTasks.Reason.UNDERSTAFFED, day,
                        text("rectification.detail.understaffed", day, current.onDuty(),
                                current.leaderId() == null ? "无" : current.leaderId()));
                understaffedDay.put(unit, day);
            }
        } else if (understaffedDay.remove(unit) != null || previous == null) {
            // previous == null: a task opened for today before a restart is rectified too
            service.rectifiedBySensors(unit, RectificationTasks.Reason.UNDERSTAFFED, day,
                    "duty roster shows a leader and " + current.onDuty() + " on duty");
        }
        LOG.debug("Rectification checked for unit {} ({})", unit, current.state());
    }

    /**
     * Checks the kit of every unit whose lockers have been complete for {@link #SETTLE} and were not checked since the
     * start: what its latest judgement lacks is a finding. Called by the rectification ticker; never throws for one
     * unit's failure.
     */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> entry : List.copyOf(completeSince.entrySet())) {
            String unit = entry.getKey();
            UnitReadiness current = latest.get(unit);
            if (now.isBefore(entry.getValue().plus(SETTLE)) || current == null
                    || current.state() == State.BOX_OFFLINE || !test(lockersRead, unit)) {
                continue;
            }
            try {
                firstCompleteCheck(current);
                completeSince.remove(unit);
                kitChecked.add(unit);
            } catch (RuntimeException e) {
                LOG.warn("Kit of unit {} not checked yet: {}", unit, e.toString());
            }
        }
    }

    /** The first complete look at the unit's lockers since the start: what is short already is a finding. */
    private void firstCompleteCheck(UnitReadiness current) {
        String unit = current.unitId();
        if (inIncident(unit)) {
            return; // the kit is in use
        }
        for (ItemReadiness item : current.items()) {
            if (item.required() > 0 && item.missing()) {
                tasks.open(unit, RectificationTasks.Reason.KIT_MISSING, item.kind(),
                        text("rectification.detail.kit-missing", itemName(item.kind()), item.present(),
                                item.required()));
            }
        }
    }

    private boolean inIncident(String unit) {
        return test(inIncident, unit);
    }

    private static boolean test(Predicate<String> predicate, String unit) {
        try {
            return predicate.test(unit);
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell the state of unit {} for rectification: {}", unit, e.toString());
            return false;
        }
    }

    private static boolean understaffed(UnitReadiness r) {
        return r.leaderId() == null || r.onDuty() < MIN_ON_DUTY;
    }

    private String text(String key, Object... args) {
        return MessageFormat.format(texts.getString(key), args);
    }

    /** The item kind as people call it (头盔 for helmet); the wire name when the bundle has none. */
    private String itemName(String kind) {
        String key = "item." + kind;
        return texts.containsKey(key) ? texts.getString(key) : kind;
    }
}
