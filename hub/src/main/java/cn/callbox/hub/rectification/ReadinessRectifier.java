package cn.callbox.hub.rectification;

import java.text.MessageFormat;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
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
 * nothing. The task is rectified by the sensors ("sensors show the item back") when the kind is back at the count it
 * had before it fell and at least at the required count, unless a box of the unit is offline (the hub cannot see the
 * whole locker);</li>
 * <li>duty: no leader or fewer than 3 on duty opens one {@code understaffed} task for the duty day (subject: the
 * ISO date); a roster that is fixed the same day rectifies it.</li>
 * </ul>
 * Items taken while the unit has an open incident are the kit in use, not a finding. The level a kind had before it
 * fell is kept in memory: after a restart, the required count alone decides. Called on the readiness monitor's thread.
 */
final class ReadinessRectifier implements ReadinessListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessRectifier.class);
    private static final int MIN_ON_DUTY = 3;

    private final RectificationTasks tasks;
    private final RectificationService service;
    private final Predicate<String> inIncident;
    private final Clock clock;
    /** unit + "/" + kind → the count before the kind fell, while its task waits for the item. */
    private final Map<String, Integer> stocked = new ConcurrentHashMap<>();
    private final ResourceBundle texts = ResourceBundle.getBundle("messages", Locale.ROOT,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));

    /** @param inIncident whether the unit has an open incident (its kit is in use) */
    ReadinessRectifier(RectificationService service, Predicate<String> inIncident, Clock clock) {
        this.tasks = Objects.requireNonNull(service, "service");
        this.service = service;
        this.inIncident = Objects.requireNonNull(inIncident, "inIncident");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void readinessChanged(UnitReadiness previous, UnitReadiness current) {
        String unit = current.unitId();
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
                        text("rectification.detail.kit-missing", item.kind(), item.present(),
                                Math.max(item.required(), before.present())));
            } else if (before != null && item.missing() && !before.missing()) {
                tasks.open(unit, RectificationTasks.Reason.KIT_MISSING, item.kind(),
                        text("rectification.detail.kit-missing", item.kind(), item.present(), item.required()));
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
        String day = LocalDate.ofInstant(clock.instant(), RectificationService.TOWNSHIP_ZONE).toString();
        boolean understaffed = understaffed(current);
        if (understaffed && (previous == null || !understaffed(previous))) {
            tasks.open(unit, RectificationTasks.Reason.UNDERSTAFFED, day,
                    text("rectification.detail.understaffed", day, current.onDuty(),
                            current.leaderId() == null ? "无" : current.leaderId()));
        } else if (!understaffed && previous != null && understaffed(previous)) {
            service.rectifiedBySensors(unit, RectificationTasks.Reason.UNDERSTAFFED, day,
                    "duty roster shows a leader and " + current.onDuty() + " on duty");
        }
        LOG.debug("Rectification checked for unit {} ({})", unit, current.state());
    }

    private boolean inIncident(String unit) {
        try {
            return inIncident.test(unit);
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell whether unit {} has an open incident: {}", unit, e.toString());
            return false;
        }
    }

    private static boolean understaffed(UnitReadiness r) {
        return r.leaderId() == null || r.onDuty() < MIN_ON_DUTY;
    }

    private String text(String key, Object... args) {
        return MessageFormat.format(texts.getString(key), args);
    }
}
