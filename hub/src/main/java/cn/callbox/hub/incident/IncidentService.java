package cn.callbox.hub.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

import cn.callbox.hub.incident.IncidentLedger.PressKey;
import cn.callbox.hub.incident.IncidentSignals.Alarm;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;

/**
 * The alarm path of the hub (ARCHITECTURE.md): records incidents, dispatches them to units, takes acknowledgements
 * and reports, and escalates when the primary unit does not answer. It also runs readiness drills of one unit
 * ({@link #startDrill}, incidents of kind {@code drill}) and the command centre's actions on an incident (alert one
 * more unit, call the police, false alarm, close).
 * <p>
 * <b>Recording.</b> {@link #receive} is idempotent on call box + alarm sequence + reported press time: in memory
 * (one lock per box, so a box's presses are taken one at a time) and in the database (unique constraint, so two hub
 * instances agree). It returns once the press is durably recorded; alerting runs on the dispatch executor, never on
 * the caller's thread. Presses at a box whose incident is open join that incident (see {@link AlarmRules}).
 * <p>
 * <b>The database being down must not stop dispatch.</b> Every incident the service handles stays in memory. When a
 * write fails the service logs an ERROR, carries on from memory, and {@link #tick()} retries the write every second
 * until it succeeds. An alarm whose incident is not written yet is not acknowledged to its box
 * ({@link AlarmNotStoredException}): the box sends it again, and it is acknowledged once it is written.
 * <p>
 * <b>Threading.</b> Thread-safe. Each incident's changes happen under that incident's monitor, together with its
 * persistence, the publication of its JSON and the call-status command for the pressing box, so the retained state
 * and the box's lamp always end with the latest change. Sirens, announcements and alerts are sent after the monitor
 * is released; {@link CallBoxCommands} and {@link AlarmPublisher} return at once, and a failure of one box or unit is
 * logged without holding up the others.
 * <p>
 * <b>Collaborators.</b> The service is the façade of the alarm path; it keeps recording, acknowledgements, reports,
 * muster and drills, and hands the rest to package-private collaborators: {@link IncidentLedger} (the incidents in
 * memory, their writes, retries and publication), {@link IncidentRouting} (first dispatch and escalation, after the
 * {@link Dispatcher}'s plan), {@link CommandCentreActions} (the command centre's actions) and {@link IncidentSignals}
 * (what boxes and phones are told).
 */
public final class IncidentService implements AlarmReceiver, AckReceiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    /** How many incidents {@link #list()} returns at most. */
    static final int LIST_LIMIT = 200;

    private static final int INSERT_ATTEMPTS = 3;

    /** The window of {@link AlarmRules#maxIncidentsPerBoxPerMinute}. */
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    /**
     * How long a press sent without a time stamp is taken for a resend of an earlier one with the same number. Our
     * boxes always send the press time; a client that does not is told apart from its own resends by recency alone.
     */
    static final Duration UNSTAMPED_RESEND_WINDOW = Duration.ofHours(1);

    private final TownshipDirectory directory;
    private final IncidentLedger ledger;
    private final IncidentSignals signals;
    private final IncidentRouting routing;
    private final CommandCentreActions actions;
    private final Clock clock;
    private final AlarmRules rules;

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
            HubProperties.Dispatch settings, AlarmRules rules, Clock clock, Executor dispatchExecutor) {
        // every argument is checked here, in order, though collaborators keep most of them: a wiring mistake is
        // named at once
        this.directory = Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(publisher, "publisher");
        this.ledger = new IncidentLedger(store, publisher, json);
        Dispatcher dispatcher = new Dispatcher(settings.supportUnits(), settings.supportRadiusKm());
        Duration escalationDelay = Objects.requireNonNull(settings.escalationDelay(), "escalationDelay");
        this.signals = new IncidentSignals(directory, commands, publisher, settings.sirenDuration());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(dispatchExecutor, "dispatchExecutor");
        this.routing = new IncidentRouting(directory, readiness, dispatcher, escalationDelay, signals, ledger, clock,
                dispatchExecutor);
        this.actions = new CommandCentreActions(directory, ledger, signals, clock);
        for (int i = 0; i < alarmLocks.length; i++) {
            alarmLocks[i] = new Object();
        }
    }

    // ------------------------------------------------------------------ alarms

    /**
     * {@inheritDoc}
     * <p>
     * A press is identified by box, counter value and reported press time ({@link PressKey}). A press at a box whose
     * incident is open, or at a box that raised {@link AlarmRules#maxIncidentsPerBoxPerMinute} incidents within the
     * last minute, attaches to that incident and alerts nobody. An implausible press time is replaced by the hub's.
     *
     * @throws AlarmNotStoredException when the press is dispatched (or attached) but not in the database yet
     */
    @Override
    public String receive(AlarmRecord alarm) {
        Objects.requireNonNull(alarm, "alarm");
        if (alarm.endpoint() == null || alarm.endpoint().isBlank()) {
            throw new IllegalArgumentException("alarm without a call box endpoint");
        }
        CallBoxInfo box = directory.callBox(alarm.endpoint())
                .orElseThrow(() -> new UnknownCallBoxException(alarm.endpoint()));
        Instant now = clock.instant();
        PressKey key = new PressKey(alarm.endpoint(), alarm.sequence(), alarm.pressedAt());
        Instant unstampedSince = now.minus(UNSTAMPED_RESEND_WINDOW);
        Incident incident;
        boolean raised;
        // one box's presses one at a time: whether a press is new, attaches or raises depends on the ones before it
        synchronized (alarmLocks[Math.floorMod(alarm.endpoint().hashCode(), alarmLocks.length)]) {
            String known = ledger.knownPress(key, unstampedSince);
            if (known != null) {
                LOG.info("Alarm {} #{} resent: already incident {}", key.callbox(), key.sequence(), known);
                return stored(known);
            }
            Optional<Incident> stored = storedPress(key, unstampedSince);
            if (stored.isPresent()) {
                Incident earlier = ledger.remember(stored.get());
                LOG.info("Alarm {} #{} resent: already incident {} (from the database)", key.callbox(),
                        key.sequence(), earlier.id());
                return earlier.id();
            }
            Press press = press(alarm, now);
            Attachment attachment = attachment(alarm.endpoint(), now);
            if (attachment != null) {
                incident = attachment.incident();
                attach(incident, press, attachment.why());
                raised = false;
            } else {
                Recorded recorded = record(alarm.endpoint(), press, box);
                if (!recorded.isNew()) {
                    return recorded.incident().id();
                }
                incident = recorded.incident();
                raised = true;
            }
        }
        if (raised) {
            synchronized (incident) {
                ledger.publish(incident);
            }
            LOG.info("Incident {} raised by call box {} (alarm #{}) at {}", incident.id(), box.endpoint(),
                    alarm.sequence(), box.place());
            routing.dispatchLater(incident, box);
        }
        if (ledger.isUnsaved(incident.id())) {
            throw new AlarmNotStoredException(incident.id());
        }
        return incident.id();
    }

    /** A resent press's incident id once it is stored; writes it now if it is not yet. */
    private String stored(String incidentId) {
        if (!ledger.isUnsaved(incidentId)) {
            return incidentId;
        }
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new AlarmNotStoredException(incidentId));
        synchronized (incident) {
            if (ledger.persist(incident)) {
                LOG.info("Incident {} written to the database on its alarm's resend", incidentId);
                return incidentId;
            }
        }
        throw new AlarmNotStoredException(incidentId);
    }

    /** The stored incident holding the press; empty when the database does not answer (then it counts as new). */
    private Optional<Incident> storedPress(PressKey key, Instant unstampedSince) {
        try {
            return ledger.storedPress(key, unstampedSince);
        } catch (RuntimeException e) {
            LOG.error("Could not look up alarm {} #{} in the database; taking it as a new press (an alarm is never "
                    + "swallowed): {}", key.callbox(), key.sequence(), e.toString());
            return Optional.empty();
        }
    }

    /** The press as the hub keeps it: the box's time, or the hub's when the box's is missing or implausible. */
    private Press press(AlarmRecord alarm, Instant now) {
        Instant reported = alarm.pressedAt();
        if (reported == null) {
            LOG.warn("Alarm {} #{} has no press time; using the hub's time", alarm.endpoint(), alarm.sequence());
            return new Press(alarm.sequence(), null, now, now);
        }
        if (reported.isAfter(now.plus(rules.clockSkew())) || reported.isBefore(now.minus(rules.maxPressAge()))) {
            LOG.warn("Call box {} reported alarm #{} pressed at {}, which cannot be right (hub time {}): recorded "
                    + "with the hub's time; check the box's clock", alarm.endpoint(), alarm.sequence(), reported, now);
            return new Press(alarm.sequence(), reported, now, now);
        }
        return new Press(alarm.sequence(), reported, reported, now);
    }

    /**
     * The incident a new press of the box joins instead of raising one: its newest open incident, else, when the box
     * raised its allowance of incidents within the last minute, its newest incident. Null: the press raises one.
     */
    private Attachment attachment(String endpoint, Instant now) {
        Incident newest = null;
        Incident newestOpen = null;
        int lastMinute = 0;
        Instant minuteAgo = now.minus(RATE_WINDOW);
        for (Incident incident : ledger.all()) {
            if (incident.drill() || !endpoint.equals(incident.callbox())) {
                continue;
            }
            boolean open;
            synchronized (incident) {
                open = !incident.state().closed();
            }
            if (incident.recordedAt().isAfter(minuteAgo)) {
                lastMinute++;
            }
            if (newest == null || incident.recordedAt().isAfter(newest.recordedAt())) {
                newest = incident;
            }
            if (open && (newestOpen == null || incident.recordedAt().isAfter(newestOpen.recordedAt()))) {
                newestOpen = incident;
            }
        }
        if (newestOpen != null) {
            return new Attachment(newestOpen, "its incident is still open");
        }
        if (lastMinute >= rules.maxIncidentsPerBoxPerMinute()) {
            LOG.warn("Call box {} raised {} incidents within a minute: its press joins incident {} and alerts nobody",
                    endpoint, lastMinute, newest.id());
            return new Attachment(newest, lastMinute + " incidents of the box within a minute: not dispatched again");
        }
        return null;
    }

    /** Counts, logs, stores and publishes the press on the incident; the box's lamp shows the incident's state. */
    private void attach(Incident incident, Press press, String why) {
        synchronized (incident) {
            incident.attach(press, why);
            ledger.pressSeen(incident, press);
            ledger.commit(incident);
            switch (incident.state()) {
                case RAISED -> signals.callStatus(incident, CallState.RECEIVED);
                case ACKNOWLEDGED -> signals.callStatus(incident, CallState.ACKNOWLEDGED);
                case RESPONDING -> signals.callStatus(incident, CallState.RESPONDING);
                // closed (a box over its limit): its lamp must not say "sending" for ever; the call is over
                default -> signals.callStatus(incident, CallState.IDLE);
            }
            LOG.info("Alarm {} #{} joins incident {} as press {} ({})", incident.callbox(), press.sequence(),
                    incident.id(), incident.presses().size(), why);
        }
    }

    /** Makes and stores a new incident; the caller holds the box's lock. */
    private Recorded record(String endpoint, Press press, CallBoxInfo box) {
        for (int attempt = 1;; attempt++) {
            Incident incident = Incident.raise(ledger.newId(press.recordedAt()), endpoint, press, box.place(),
                    box.villageName(), box.lat(), box.lon());
            try {
                ledger.insert(incident);
                return new Recorded(ledger.remember(incident), true);
            } catch (DuplicateKeyException e) {
                Optional<Incident> other = storedPress(PressKey.of(endpoint, press), press.recordedAt());
                if (other.isPresent()) {
                    LOG.info("Alarm {} #{} was recorded by another hub instance as {}", endpoint, press.sequence(),
                            other.get().id());
                    return new Recorded(ledger.remember(other.get()), false);
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
        LOG.error("Could not record incident {} of call box {} (alarm #{}) in the database: dispatching from memory, "
                + "retrying the write every second; the box keeps the alarm until it is written", incident.id(),
                incident.callbox(), incident.sequence(), e);
        ledger.unsaved(incident.id());
        return ledger.remember(incident);
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
            Optional<Incident> incident = ledger.resolve(incidentId);
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
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
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
                ledger.commit(incident);
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
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
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
            ledger.commit(incident);
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
        return actions.alertSupport(incidentId, unitId, actor);
    }

    /**
     * The command centre calls the police: {@code needsPolice} and a {@code police-called} log entry naming the actor.
     *
     * @param note free text, may be null
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is closed
     */
    IncidentSnapshot callPolice(String incidentId, String actor, String note) {
        return actions.callPolice(incidentId, actor, note);
    }

    /**
     * The command centre closes the incident as a false alarm: sirens stop, the box shows no call.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is already closed
     */
    IncidentSnapshot falseAlarm(String incidentId, String actor, String note) {
        return actions.closeBy(incidentId, IncidentState.FALSE_ALARM, actor, note);
    }

    /**
     * The command centre closes the incident as resolved (log {@code closed}): sirens stop, the box shows no call.
     *
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentClosedException when the incident is already closed
     */
    IncidentSnapshot close(String incidentId, String actor, String note) {
        return actions.closeBy(incidentId, IncidentState.RESOLVED, actor, note);
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
                        ? Incident.drill(ledger.newId(now), unit.id(), distance, box.endpoint(), number, box.place(),
                                box.villageName(), box.lat(), box.lon(), who, now)
                        : Incident.drill(ledger.newId(now), unit.id(), distance, null, number, unit.name(),
                                unit.villageName(), unit.lat(), unit.lon(), who, now);
                try {
                    ledger.insert(drill);
                } catch (DuplicateKeyException e) {
                    if (attempt < INSERT_ATTEMPTS) {
                        LOG.warn("Drill #{} or id {} taken; drawing another", number, drill.id());
                        continue;
                    }
                    unsavedDrill(drill, e);
                } catch (RuntimeException e) {
                    unsavedDrill(drill, e);
                }
                incident = ledger.remember(drill);
                lastDrill = number;
                break;
            }
        }
        Alarm alarm;
        synchronized (incident) {
            ledger.publish(incident);
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
            stored = ledger.lastDrillNumber();
        } catch (RuntimeException e) {
            LOG.error("Could not read the last drill number from the database; counting in memory: {}", e.toString());
        }
        return Math.max(stored, lastDrill) + 1;
    }

    private void unsavedDrill(Incident drill, RuntimeException e) {
        LOG.error("Could not record drill {} in the database: running it from memory and retrying the write every "
                + "second", drill.id(), e);
        ledger.unsaved(drill.id());
    }

    // ------------------------------------------------------------------ locker events (supervision)

    /** Whether the unit was alerted for an incident that is still open (kept in memory since the hub started). */
    public boolean hasOpenIncidentFor(String unitId) {
        if (isBlank(unitId)) {
            return false;
        }
        for (Incident incident : ledger.all()) {
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
        for (Incident incident : ledger.all()) {
            synchronized (incident) {
                if (!incident.state().closed() && incident.mustered(unitId, openedAt)) {
                    ledger.commit(incident);
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
        for (Incident incident : ledger.all()) {
            synchronized (incident) {
                if (incident.equipmentReturned(unitId, at)) {
                    ledger.commit(incident);
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
        ledger.retryUnsaved();
        Instant now = clock.instant();
        for (Incident incident : ledger.all()) {
            try {
                routing.escalateIfDue(incident, now);
            } catch (RuntimeException e) {
                LOG.error("Escalation check of incident {} failed", incident.id(), e);
            }
        }
    }

    // ------------------------------------------------------------------ reads and recovery

    /** The incident's current JSON; empty for an unknown id. */
    public Optional<IncidentSnapshot> find(String incidentId) {
        return ledger.resolve(incidentId).map(IncidentService::view);
    }

    /** The newest incidents first, at most {@value #LIST_LIMIT}; from memory alone while the database is down. */
    List<IncidentSnapshot> list() {
        return ledger.newest(LIST_LIMIT).stream().map(IncidentService::view).toList();
    }

    /**
     * Loads the open incidents from the database so that acknowledgements and escalation carry on after a restart,
     * and dispatches any that were recorded but never dispatched (the hub stopped in between).
     */
    void recover() {
        List<Incident> open;
        try {
            open = ledger.storedOpen();
        } catch (RuntimeException e) {
            LOG.error("Could not load open incidents from the database: {}", e.toString());
            return;
        }
        for (Incident loaded : open) {
            Incident incident = ledger.remember(loaded);
            boolean undispatched;
            synchronized (incident) {
                undispatched = incident.units().isEmpty();
            }
            if (undispatched && incident.drill()) {
                LOG.warn("Drill {} has no alerted unit; left as it is", incident.id());
            } else if (undispatched) {
                CallBoxInfo box = directory.callBox(incident.callbox())
                        .orElseGet(() -> IncidentRouting.boxOf(incident));
                LOG.warn("Incident {} was recorded but not dispatched before the hub stopped; dispatching now",
                        incident.id());
                routing.dispatchLater(incident, box);
            }
        }
        LOG.info("{} open incidents loaded", open.size());
    }

    private static IncidentSnapshot view(Incident incident) {
        synchronized (incident) {
            return IncidentView.of(incident);
        }
    }

    // ------------------------------------------------------------------ helpers

    private boolean isMember(String unitId, String memberId) {
        return directory.members(unitId).stream().anyMatch(m -> m.id().equals(memberId));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Stops the dispatch executor after the dispatches already started. */
    @Override
    public void close() {
        routing.close();
    }

    private record Recorded(Incident incident, boolean isNew) {
    }

    /** The incident a press joins, and why (for its log). */
    private record Attachment(Incident incident, String why) {
    }
}
