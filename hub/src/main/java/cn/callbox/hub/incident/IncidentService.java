package cn.callbox.hub.incident;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

import cn.callbox.hub.incident.IncidentSignals.Alarm;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.system.RandomIds;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;

/**
 * The alarm path of the hub (ARCHITECTURE.md): records incidents, dispatches them to units, takes acknowledgements
 * and reports, and escalates when the primary unit does not answer. It also runs readiness drills of one unit
 * ({@link #startDrill}, incidents of kind {@code drill}) and the command centre's actions on an incident (alert one
 * more unit, call the police, false alarm, close).
 * <p>
 * <b>Recording.</b> {@link #receive} is idempotent on call box + alarm sequence: in memory (one lock per alarm key,
 * so concurrent duplicates wait for the first) and in the database (unique constraint, so two hub instances agree).
 * It returns once the incident is recorded; alerting runs on the dispatch executor, never on the caller's thread.
 * <p>
 * <b>The database being down must not stop dispatch.</b> Every incident the service handles stays in memory. When a
 * write fails the service logs an ERROR, carries on from memory, and {@link #tick()} retries the write every second
 * until it succeeds.
 * <p>
 * <b>Threading.</b> Thread-safe. Each incident's changes happen under that incident's monitor, together with its
 * persistence, the publication of its JSON and the call-status command for the pressing box, so the retained state
 * and the box's lamp always end with the latest change. Sirens, announcements and alerts are sent after the monitor
 * is released; {@link CallBoxCommands} and {@link AlarmPublisher} return at once, and a failure of one box or unit is
 * logged without holding up the others.
 */
public final class IncidentService implements AlarmReceiver, AckReceiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    /** The township's zone: incident ids carry the local date. */
    static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");

    /** How many incidents {@link #list()} returns at most. */
    static final int LIST_LIMIT = 200;

    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(TOWNSHIP_ZONE);
    private static final int INSERT_ATTEMPTS = 3;

    private final TownshipDirectory directory;
    private final ReadinessService readiness;
    private final AlarmPublisher publisher;
    private final IncidentStore store;
    private final Function<IncidentSnapshot, String> json;
    private final Dispatcher dispatcher;
    private final Duration escalationDelay;
    private final IncidentSignals signals;
    private final Clock clock;
    private final Executor dispatchExecutor;
    private final SecureRandom random = new SecureRandom();

    private final ConcurrentMap<String, Incident> incidents = new ConcurrentHashMap<>();
    private final ConcurrentMap<AlarmKey, String> idsByAlarm = new ConcurrentHashMap<>();
    private final Set<String> unsaved = ConcurrentHashMap.newKeySet();
    private final Object[] alarmLocks = new Object[64];
    private final Object drillLock = new Object();
    /** The last drill number this instance gave out; guarded by {@link #drillLock}. */
    private long lastDrill;

    /**
     * @param json writes the incident JSON published on the incidents topic (the REST representation)
     * @param dispatchExecutor runs dispatches; closed by {@link #close()} when it is an {@link ExecutorService}
     */
    IncidentService(TownshipDirectory directory, ReadinessService readiness, CallBoxCommands commands,
            AlarmPublisher publisher, IncidentStore store, Function<IncidentSnapshot, String> json,
            HubProperties.Dispatch settings, Clock clock, Executor dispatchExecutor) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.store = Objects.requireNonNull(store, "store");
        this.json = Objects.requireNonNull(json, "json");
        this.dispatcher = new Dispatcher(settings.supportUnits(), settings.supportRadiusKm());
        this.escalationDelay = Objects.requireNonNull(settings.escalationDelay(), "escalationDelay");
        this.signals = new IncidentSignals(directory, commands, publisher, settings.sirenDuration());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dispatchExecutor = Objects.requireNonNull(dispatchExecutor, "dispatchExecutor");
        for (int i = 0; i < alarmLocks.length; i++) {
            alarmLocks[i] = new Object();
        }
    }

    // ------------------------------------------------------------------ alarms

    @Override
    public String receive(AlarmRecord alarm) {
        Objects.requireNonNull(alarm, "alarm");
        if (alarm.endpoint() == null || alarm.endpoint().isBlank()) {
            throw new IllegalArgumentException("alarm without a call box endpoint");
        }
        CallBoxInfo box = directory.callBox(alarm.endpoint())
                .orElseThrow(() -> new UnknownCallBoxException(alarm.endpoint()));
        AlarmKey key = new AlarmKey(alarm.endpoint(), alarm.sequence());
        Incident incident;
        synchronized (alarmLocks[Math.floorMod(key.hashCode(), alarmLocks.length)]) {
            String known = idsByAlarm.get(key);
            if (known != null) {
                LOG.info("Alarm {} #{} resent: already incident {}", key.callbox(), key.sequence(), known);
                return known;
            }
            Optional<Incident> stored = storedAlarm(key);
            if (stored.isPresent()) {
                Incident earlier = remember(stored.get());
                LOG.info("Alarm {} #{} resent: already incident {} (from the database)", key.callbox(),
                        key.sequence(), earlier.id());
                return earlier.id();
            }
            Recorded recorded = record(alarm, box);
            if (!recorded.isNew()) {
                return recorded.incident().id();
            }
            incident = recorded.incident();
        }
        synchronized (incident) {
            publish(incident);
        }
        LOG.info("Incident {} raised by call box {} (alarm #{}) at {}", incident.id(), box.endpoint(),
                alarm.sequence(), box.place());
        dispatchLater(incident, box);
        return incident.id();
    }

    /** Makes and stores a new incident; the caller holds the alarm key's lock. */
    private Recorded record(AlarmRecord alarm, CallBoxInfo box) {
        Instant now = clock.instant();
        Instant pressedAt = alarm.pressedAt();
        if (pressedAt == null) {
            LOG.warn("Alarm {} #{} has no press time; using the hub's time", alarm.endpoint(), alarm.sequence());
            pressedAt = now;
        }
        for (int attempt = 1;; attempt++) {
            Incident incident = Incident.raise(newId(now), alarm, box.place(), box.villageName(), box.lat(),
                    box.lon(), pressedAt, now);
            try {
                store.insert(incident);
                return new Recorded(remember(incident), true);
            } catch (DuplicateKeyException e) {
                Optional<Incident> other = storedAlarm(new AlarmKey(alarm.endpoint(), alarm.sequence()));
                if (other.isPresent()) {
                    LOG.info("Alarm {} #{} was recorded by another hub instance as {}", alarm.endpoint(),
                            alarm.sequence(), other.get().id());
                    return new Recorded(remember(other.get()), false);
                }
                if (attempt >= INSERT_ATTEMPTS) {
                    return new Recorded(unsavedIncident(incident, e), true);
                }
                LOG.warn("Incident id {} taken; drawing another", incident.id());
            } catch (RuntimeException e) {
                return new Recorded(unsavedIncident(incident, e), true);
            }
        }
    }

    private Incident unsavedIncident(Incident incident, RuntimeException e) {
        LOG.error("Could not record incident {} of call box {} (alarm #{}) in the database: dispatching from memory "
                + "and retrying the write every second", incident.id(), incident.callbox(), incident.sequence(), e);
        unsaved.add(incident.id());
        return remember(incident);
    }

    private Optional<Incident> storedAlarm(AlarmKey key) {
        try {
            return store.findByAlarm(key.callbox(), key.sequence());
        } catch (RuntimeException e) {
            LOG.error("Could not look up alarm {} #{} in the database; deduplicating from memory only: {}",
                    key.callbox(), key.sequence(), e.toString());
            return Optional.empty();
        }
    }

    private void dispatchLater(Incident incident, CallBoxInfo box) {
        Runnable task = () -> {
            try {
                dispatch(incident, box);
            } catch (RuntimeException e) {
                LOG.error("Dispatch of incident {} failed", incident.id(), e);
            }
        };
        try {
            dispatchExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("Dispatch executor refused incident {} (shutting down?); dispatching on this thread",
                    incident.id());
            task.run();
        }
    }

    /** Alerts the units of the dispatch plan. */
    private void dispatch(Incident incident, CallBoxInfo box) {
        Map<String, UnitInfo> units = units();
        List<DispatchStep> plan;
        try {
            plan = dispatcher.plan(box, List.copyOf(units.values()), this::ready);
        } catch (RuntimeException e) {
            LOG.error("Dispatch plan of incident {} failed; alerting the primary unit {} only", incident.id(),
                    box.unitId(), e);
            plan = List.of(new DispatchStep(box.unitId(), AlertRole.PRIMARY, 0, "responsible for the point of "
                    + box.endpoint() + " (plan failed)"));
        }
        Instant now = clock.instant();
        List<DispatchStep> alerted = new ArrayList<>();
        Alarm alarm;
        synchronized (incident) {
            if (incident.state().closed()) {
                LOG.info("Incident {} closed before its dispatch ran; alerting nobody", incident.id());
                return;
            }
            for (DispatchStep step : plan) {
                if (incident.alert(step, false, now)) {
                    alerted.add(step);
                }
            }
            if (alerted.stream().anyMatch(s -> s.role() == AlertRole.PRIMARY)) {
                incident.escalateAt(now.plus(escalationDelay));
            }
            signals.callStatus(incident, CallState.RECEIVED);
            commit(incident);
            alarm = Alarm.of(incident);
        }
        LOG.info("Incident {} dispatched to {}", incident.id(),
                alerted.stream().map(s -> s.unit() + " (" + s.role().wireName() + ")")
                        .collect(Collectors.joining(", ")));
        Set<String> sounded = new HashSet<>();
        for (DispatchStep step : alerted) {
            signals.alertUnit(alarm, step, units.get(step.unit()), sounded);
        }
    }

    // ------------------------------------------------------------------ acknowledgements

    @Override
    public void acknowledged(String unitId, String incidentId, String memberId) {
        try {
            if (isBlank(unitId) || isBlank(incidentId) || isBlank(memberId)) {
                LOG.warn("Ignored an acknowledgement with missing fields: unit={}, incident={}, member={}", unitId,
                        incidentId, memberId);
                return;
            }
            Optional<Incident> incident = resolve(incidentId);
            if (incident.isEmpty()) {
                LOG.warn("Ignored an acknowledgement of unknown incident {} by {} of {}", incidentId, memberId,
                        unitId);
                return;
            }
            if (!isMember(unitId, memberId)) {
                LOG.warn("Ignored an acknowledgement of incident {}: {} is not a member of unit {}", incidentId,
                        memberId, unitId);
                return;
            }
            acknowledge(incident.get(), unitId, memberId);
        } catch (IncidentClosedException | NotAlertedMemberException e) {
            LOG.warn("Ignored an acknowledgement by {} of {}: {}", memberId, unitId, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Could not take the acknowledgement of incident {} by {} of {}", incidentId, memberId, unitId,
                    e);
        }
    }

    /**
     * A member acknowledges through the REST API; their unit is the alerted unit they are a member of.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is closed
     * @throws NotAlertedMemberException when the member is in no alerted unit
     */
    IncidentSnapshot acknowledge(String incidentId, String memberId) {
        return acknowledge(incidentId, memberId, null);
    }

    /**
     * As {@link #acknowledge(String, String)}, for members of {@code onlyUnit} alone (a unit leader acknowledging
     * for their unit); null for any alerted unit.
     */
    IncidentSnapshot acknowledge(String incidentId, String memberId, String onlyUnit) {
        Incident incident = resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        List<String> alerted;
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            alerted = incident.units().stream().map(AlertedUnit::unit).toList();
        }
        String unit = alerted.stream().filter(u -> onlyUnit == null || onlyUnit.equals(u))
                .filter(u -> isMember(u, memberId)).findFirst()
                .orElseThrow(() -> new NotAlertedMemberException(memberId, incidentId));
        return acknowledge(incident, unit, memberId);
    }

    private IncidentSnapshot acknowledge(Incident incident, String unitId, String memberId) {
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            if (incident.unit(unitId).isEmpty()) {
                throw new NotAlertedMemberException(memberId, incident.id());
            }
            boolean first = !incident.anyAcknowledged();
            if (incident.acknowledge(unitId, memberId, clock.instant())) {
                LOG.info("Incident {} acknowledged by {} of {}", incident.id(), memberId, unitId);
                if (first && incident.state() == IncidentState.ACKNOWLEDGED) {
                    signals.callStatus(incident, CallState.ACKNOWLEDGED);
                }
                commit(incident);
            }
            return IncidentView.of(incident);
        }
    }

    // ------------------------------------------------------------------ reports

    /**
     * A duty leader's report from the scene.
     *
     * @param note free text, may be null
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is already closed
     */
    IncidentSnapshot report(String incidentId, ReportStatus status, String note) {
        Objects.requireNonNull(status, "status");
        Incident incident = resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        IncidentSnapshot view;
        List<String> stopUnits = List.of();
        synchronized (incident) {
            IncidentState before = incident.state();
            if (before.closed()) {
                throw new IncidentClosedException(incident.id(), before);
            }
            incident.report(status, note, clock.instant());
            IncidentState after = incident.state();
            if (after == IncidentState.RESPONDING && before != IncidentState.RESPONDING) {
                signals.callStatus(incident, CallState.RESPONDING);
            }
            if (after.closed()) {
                signals.callStatus(incident, CallState.IDLE);
                stopUnits = incident.units().stream().map(AlertedUnit::unit).toList();
            }
            commit(incident);
            view = IncidentView.of(incident);
        }
        LOG.info("Incident {} reported {} (now {})", incidentId, status.wireName(), view.state());
        signals.stopSirens(incidentId, stopUnits);
        return view;
    }

    // ------------------------------------------------------------------ command centre actions

    /**
     * The command centre alerts one more unit as {@code support} now: its boxes' sirens and announcement, its MQTT
     * alert and an {@code alerted} log entry naming the actor. The unit does not take part in escalation.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws UnknownUnitException when the registry does not know the unit
     * @throws IncidentClosedException when the incident is closed
     * @throws UnitAlreadyAlertedException when the unit is already alerted for it
     */
    IncidentSnapshot alertSupport(String incidentId, String unitId, String actor) {
        Incident incident = resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        UnitInfo unit = (isBlank(unitId) ? Optional.<UnitInfo>empty() : directory.unit(unitId))
                .orElseThrow(() -> new UnknownUnitException(unitId));
        Alarm alarm;
        DispatchStep step;
        IncidentSnapshot view;
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            if (incident.unit(unit.id()).isPresent()) {
                throw new UnitAlreadyAlertedException(incident.id(), unit.id());
            }
            double distance = GreatCircle.distanceKm(incident.lat(), incident.lon(), unit.lat(), unit.lon());
            incident.alertedBy(unit.id(), AlertRole.SUPPORT, distance, actor, clock.instant());
            step = new DispatchStep(unit.id(), AlertRole.SUPPORT, distance, "alerted by " + actor);
            commit(incident);
            alarm = Alarm.of(incident);
            view = IncidentView.of(incident);
        }
        LOG.info("Incident {}: unit {} alerted by {}", incident.id(), unit.id(), actor);
        signals.alertUnit(alarm, step, unit, new HashSet<>());
        return view;
    }

    /**
     * The command centre calls the police: {@code needsPolice} and a {@code police-called} log entry naming the actor.
     *
     * @param note free text, may be null
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is closed
     */
    IncidentSnapshot callPolice(String incidentId, String actor, String note) {
        Incident incident = resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            incident.policeCalled(actor, note, clock.instant());
            commit(incident);
            LOG.info("Incident {}: police called by {}", incident.id(), actor);
            return IncidentView.of(incident);
        }
    }

    /**
     * The command centre closes the incident as a false alarm: sirens stop, the box shows no call.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is already closed
     */
    IncidentSnapshot falseAlarm(String incidentId, String actor, String note) {
        return closeBy(incidentId, IncidentState.FALSE_ALARM, actor, note);
    }

    /**
     * The command centre closes the incident as resolved (log {@code closed}): sirens stop, the box shows no call.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is already closed
     */
    IncidentSnapshot close(String incidentId, String actor, String note) {
        return closeBy(incidentId, IncidentState.RESOLVED, actor, note);
    }

    private IncidentSnapshot closeBy(String incidentId, IncidentState closed, String actor, String note) {
        Incident incident = resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        IncidentSnapshot view;
        List<String> stopUnits;
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            incident.closedBy(closed, actor, note, clock.instant());
            signals.callStatus(incident, CallState.IDLE);
            stopUnits = incident.units().stream().map(AlertedUnit::unit).toList();
            commit(incident);
            view = IncidentView.of(incident);
        }
        LOG.info("Incident {} closed as {} by {}", incidentId, closed.wireName(), actor);
        signals.stopSirens(incidentId, stopUnits);
        return view;
    }

    // ------------------------------------------------------------------ drills

    /**
     * Starts a readiness drill (拉动测试) of one unit: a new incident of kind {@code drill} with the unit alerted as
     * primary, its boxes sounding the drill siren and saying the drill announcement, and the MQTT alert with kind
     * {@code drill}. No other unit is alerted, nothing escalates and no box shows a call. Place and position are the
     * unit's first call box, or the unit's home point (call box null) when it has none. Every call makes a new
     * incident, numbered by the hub's drill counter (its {@code sequence}). Acknowledgements, reports, muster and
     * closing work as for a panic incident.
     *
     * @param actor who started it (kept in the log); {@code system} when blank
     * @throws UnknownUnitException when the registry does not know the unit
     */
    public IncidentSnapshot startDrill(String unitId, String actor) {
        if (isBlank(unitId)) {
            throw new UnknownUnitException(unitId);
        }
        UnitInfo unit = directory.unit(unitId).orElseThrow(() -> new UnknownUnitException(unitId));
        String who = isBlank(actor) ? "system" : actor.strip();
        CallBoxInfo box = unit.callBoxes().stream().map(directory::callBox).flatMap(Optional::stream).findFirst()
                .orElse(null);
        double distance = box == null ? 0 : GreatCircle.distanceKm(box.lat(), box.lon(), unit.lat(), unit.lon());
        Instant now = clock.instant();
        Incident incident;
        synchronized (drillLock) {
            long number = nextDrillNumber();
            for (int attempt = 1;; attempt++, number++) {
                Incident drill = box != null
                        ? Incident.drill(newId(now), unit.id(), distance, box.endpoint(), number, box.place(),
                                box.villageName(), box.lat(), box.lon(), who, now)
                        : Incident.drill(newId(now), unit.id(), distance, null, number, unit.name(),
                                unit.villageName(), unit.lat(), unit.lon(), who, now);
                try {
                    store.insert(drill);
                } catch (DuplicateKeyException e) {
                    if (attempt < INSERT_ATTEMPTS) {
                        LOG.warn("Drill #{} or id {} taken; drawing another", number, drill.id());
                        continue;
                    }
                    unsavedDrill(drill, e);
                } catch (RuntimeException e) {
                    unsavedDrill(drill, e);
                }
                incident = remember(drill);
                lastDrill = number;
                break;
            }
        }
        Alarm alarm;
        synchronized (incident) {
            publish(incident);
            alarm = Alarm.of(incident);
        }
        LOG.info("Drill {} (#{}) of unit {} started by {} at {}", incident.id(), alarm.sequence(), unit.id(), who,
                alarm.place());
        signals.alertUnit(alarm, new DispatchStep(unit.id(), AlertRole.PRIMARY, distance, "drill of the unit"), unit,
                new HashSet<>());
        return view(incident);
    }

    /** The next drill number: above every stored drill and every drill of this instance; under the drill lock. */
    private long nextDrillNumber() {
        long stored = 0;
        try {
            stored = store.lastDrillNumber();
        } catch (RuntimeException e) {
            LOG.error("Could not read the last drill number from the database; counting in memory: {}", e.toString());
        }
        return Math.max(stored, lastDrill) + 1;
    }

    private void unsavedDrill(Incident drill, RuntimeException e) {
        LOG.error("Could not record drill {} in the database: running it from memory and retrying the write every "
                + "second", drill.id(), e);
        unsaved.add(drill.id());
    }

    // ------------------------------------------------------------------ locker events (supervision)

    /** Whether the unit was alerted for an incident that is still open (kept in memory since the hub started). */
    public boolean hasOpenIncidentFor(String unitId) {
        if (isBlank(unitId)) {
            return false;
        }
        for (Incident incident : incidents.values()) {
            synchronized (incident) {
                if (!incident.state().closed() && incident.unit(unitId).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The unit's locker opened at {@code openedAt}: on every open incident the unit was alerted for, logs a
     * {@code muster} entry "locker opened N s after the alert" (once per incident and unit).
     *
     * @return how many incidents got an entry
     */
    public int recordMuster(String unitId, Instant openedAt) {
        Objects.requireNonNull(openedAt, "openedAt");
        int recorded = 0;
        for (Incident incident : incidents.values()) {
            synchronized (incident) {
                if (!incident.state().closed() && incident.mustered(unitId, openedAt)) {
                    commit(incident);
                    recorded++;
                    LOG.info("Incident {}: locker of unit {} opened (muster)", incident.id(), unitId);
                }
            }
        }
        return recorded;
    }

    /**
     * The unit's locker holds again every item it held before its muster: on every incident (open or closed) with a
     * {@code muster} entry of the unit and no {@code equipment-returned} entry of it yet, logs one, closing that
     * incident's equipment check.
     *
     * @return how many incidents got an entry
     */
    public int recordEquipmentReturned(String unitId, Instant at) {
        Objects.requireNonNull(at, "at");
        if (isBlank(unitId)) {
            return 0;
        }
        int recorded = 0;
        for (Incident incident : incidents.values()) {
            synchronized (incident) {
                if (incident.equipmentReturned(unitId, at)) {
                    commit(incident);
                    recorded++;
                    LOG.info("Incident {}: equipment of unit {} back in its locker", incident.id(), unitId);
                }
            }
        }
        return recorded;
    }

    // ------------------------------------------------------------------ escalation

    /**
     * Escalates every open incident whose primary unit has not acknowledged within the escalation delay, and retries
     * failed database writes. Run every second by the scheduler; tests call it after moving the clock. Escalation
     * happens at most once per delay period per incident: the first when the delay has passed since the primary unit
     * was alerted, the next one delay later, until the primary unit (or a unit alerted by escalation) acknowledges,
     * a leader reports on-scene, the incident closes or no unit is left.
     */
    public void tick() {
        retryUnsaved();
        Instant now = clock.instant();
        for (Incident incident : incidents.values()) {
            try {
                escalateIfDue(incident, now);
            } catch (RuntimeException e) {
                LOG.error("Escalation check of incident {} failed", incident.id(), e);
            }
        }
    }

    private void escalateIfDue(Incident incident, Instant now) {
        Set<String> alerted;
        CallBoxInfo box;
        synchronized (incident) {
            if (!due(incident, now)) {
                return;
            }
            alerted = incident.units().stream().map(AlertedUnit::unit).collect(Collectors.toSet());
            box = boxOf(incident);
        }
        Map<String, UnitInfo> units = units();
        Optional<DispatchStep> next = dispatcher.escalation(box, List.copyOf(units.values()), alerted, this::ready);
        Alarm alarm;
        synchronized (incident) {
            if (!due(incident, now)) {
                return; // acknowledged or closed meanwhile
            }
            if (next.isEmpty()) {
                incident.escalationExhausted(now);
                commit(incident);
                LOG.warn("Incident {}: primary unit did not acknowledge and no unit is left to alert", incident.id());
                return;
            }
            incident.escalated(next.get(), now, now.plus(escalationDelay));
            commit(incident);
            alarm = Alarm.of(incident);
        }
        LOG.warn("Incident {}: primary unit did not acknowledge within {}; escalated to {}", incident.id(),
                escalationDelay, next.get().unit());
        signals.alertUnit(alarm, next.get(), units.get(next.get().unit()), new HashSet<>());
    }

    private static boolean due(Incident incident, Instant now) {
        return !incident.state().closed() && incident.nextEscalationAt() != null
                && !now.isBefore(incident.nextEscalationAt());
    }

    private static CallBoxInfo boxOf(Incident incident) {
        String primary = incident.units().stream().filter(u -> u.role() == AlertRole.PRIMARY)
                .map(AlertedUnit::unit).findFirst().orElse("");
        return new CallBoxInfo(incident.callbox(), incident.place(), null, null, incident.village(), incident.lat(),
                incident.lon(), primary);
    }

    private void retryUnsaved() {
        for (String id : List.copyOf(unsaved)) {
            Incident incident = incidents.get(id);
            if (incident == null) {
                unsaved.remove(id);
                continue;
            }
            synchronized (incident) {
                if (persist(incident)) {
                    LOG.info("Incident {} written to the database after an earlier failure", id);
                }
            }
        }
    }

    // ------------------------------------------------------------------ reads and recovery

    /** The incident's current JSON; empty for an unknown id. */
    public Optional<IncidentSnapshot> find(String incidentId) {
        return resolve(incidentId).map(IncidentService::view);
    }

    /** The newest incidents first, at most {@value #LIST_LIMIT}; from memory alone while the database is down. */
    List<IncidentSnapshot> list() {
        Map<String, Incident> all = new LinkedHashMap<>();
        try {
            store.recent(LIST_LIMIT).forEach(i -> all.put(i.id(), i));
        } catch (RuntimeException e) {
            LOG.error("Could not read incidents from the database; listing those in memory: {}", e.toString());
        }
        all.putAll(incidents); // memory is at least as fresh as the database
        return all.values().stream()
                .sorted(Comparator.comparing(Incident::recordedAt).thenComparing(Incident::id).reversed())
                .limit(LIST_LIMIT).map(IncidentService::view).toList();
    }

    /**
     * Loads the open incidents from the database so that acknowledgements and escalation carry on after a restart,
     * and dispatches any that were recorded but never dispatched (the hub stopped in between).
     */
    void recover() {
        List<Incident> open;
        try {
            open = store.open();
        } catch (RuntimeException e) {
            LOG.error("Could not load open incidents from the database: {}", e.toString());
            return;
        }
        for (Incident loaded : open) {
            Incident incident = remember(loaded);
            boolean undispatched;
            synchronized (incident) {
                undispatched = incident.units().isEmpty();
            }
            if (undispatched && incident.drill()) {
                LOG.warn("Drill {} has no alerted unit; left as it is", incident.id());
            } else if (undispatched) {
                CallBoxInfo box = directory.callBox(incident.callbox()).orElseGet(() -> boxOf(incident));
                LOG.warn("Incident {} was recorded but not dispatched before the hub stopped; dispatching now",
                        incident.id());
                dispatchLater(incident, box);
            }
        }
        LOG.info("{} open incidents loaded", open.size());
    }

    private Optional<Incident> resolve(String incidentId) {
        if (isBlank(incidentId)) {
            return Optional.empty();
        }
        Incident known = incidents.get(incidentId);
        if (known != null) {
            return Optional.of(known);
        }
        return store.findById(incidentId).map(this::remember);
    }

    private Incident remember(Incident incident) {
        Incident existing = incidents.putIfAbsent(incident.id(), incident);
        Incident kept = existing == null ? incident : existing;
        if (!kept.drill()) { // a drill is not an alarm: it must not swallow a real alarm of its box
            idsByAlarm.putIfAbsent(new AlarmKey(kept.callbox(), kept.sequence()), kept.id());
        }
        return kept;
    }

    private static IncidentSnapshot view(Incident incident) {
        synchronized (incident) {
            return IncidentView.of(incident);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Persists and publishes a change; the caller holds the incident's monitor. */
    private void commit(Incident incident) {
        persist(incident);
        publish(incident);
    }

    /** @return true when the write succeeded */
    private boolean persist(Incident incident) {
        try {
            store.save(incident);
            unsaved.remove(incident.id());
            return true;
        } catch (RuntimeException e) {
            if (unsaved.add(incident.id())) {
                LOG.error("Could not write incident {} to the database; keeping it in memory and retrying",
                        incident.id(), e);
            }
            return false;
        }
    }

    private void publish(Incident incident) {
        try {
            publisher.publishIncident(incident.id(), json.apply(IncidentView.of(incident)));
        } catch (RuntimeException e) {
            LOG.error("Could not publish the state of incident {}", incident.id(), e);
        }
    }

    private boolean ready(String unitId) {
        try {
            return readiness.readinessOf(unitId).ready();
        } catch (NoSuchElementException e) {
            return false;
        } catch (RuntimeException e) {
            // when in doubt, count the unit as not ready: dispatch then alerts one more unit, never one fewer
            LOG.warn("Readiness of unit {} unknown: {}", unitId, e.toString());
            return false;
        }
    }

    private boolean isMember(String unitId, String memberId) {
        return directory.members(unitId).stream().anyMatch(m -> m.id().equals(memberId));
    }

    /** Every unit by id; empty (primary unit alerted by id alone) when the registry cannot be read. */
    private Map<String, UnitInfo> units() {
        Map<String, UnitInfo> byId = new LinkedHashMap<>();
        try {
            directory.units().forEach(u -> byId.put(u.id(), u));
        } catch (RuntimeException e) {
            LOG.error("Could not read the units from the registry; alerting by unit id only: {}", e.toString());
        }
        return byId;
    }

    private String newId(Instant now) {
        return "INC-" + ID_DATE.format(now) + "-" + RandomIds.base32(random, 6);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Stops the dispatch executor after the dispatches already started. */
    @Override
    public void close() {
        if (dispatchExecutor instanceof ExecutorService executor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("Dispatches still running at shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The dedup key of an incident. */
    private record AlarmKey(String callbox, long sequence) {
    }

    private record Recorded(Incident incident, boolean isNew) {
    }
}
