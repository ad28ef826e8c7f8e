package cn.callbox.hub.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.IncidentSignals.Alarm;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;

/**
 * Carries out the {@link Dispatcher}'s decisions for an incident: the first dispatch to the primary and nearby units
 * (on the dispatch executor) and, when the primary unit does not acknowledge in time, escalation to the next nearest
 * unit. Each decision is applied to the incident and committed under its monitor; the units are alerted through
 * {@link IncidentSignals} after the monitor is released.
 * <p>
 * The registry and readiness are read outside the incident's monitor, so an escalation re-checks that it is still due
 * before it changes anything. Thread-safe.
 */
final class IncidentRouting {

    /** Logs as the service: the alarm path's log lines keep the logger name operators filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    private final TownshipDirectory directory;
    private final ReadinessService readiness;
    private final Dispatcher dispatcher;
    private final Duration escalationDelay;
    private final IncidentSignals signals;
    private final IncidentLedger ledger;
    private final Clock clock;
    private final Executor dispatchExecutor;

    /** @param dispatchExecutor runs dispatches; closed by {@link #close()} when it is an {@link ExecutorService} */
    IncidentRouting(TownshipDirectory directory, ReadinessService readiness, Dispatcher dispatcher,
            Duration escalationDelay, IncidentSignals signals, IncidentLedger ledger, Clock clock,
            Executor dispatchExecutor) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.escalationDelay = Objects.requireNonNull(escalationDelay, "escalationDelay");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dispatchExecutor = Objects.requireNonNull(dispatchExecutor, "dispatchExecutor");
    }

    // ------------------------------------------------------------------ first dispatch

    /**
     * Dispatches the incident on the dispatch executor, or on the caller's thread when the executor refuses it
     * (shutting down). A failure is logged, never thrown.
     */
    void dispatchLater(Incident incident, CallBoxInfo box) {
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
            ledger.commit(incident);
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

    // ------------------------------------------------------------------ escalation

    /**
     * Escalates the incident when its escalation is due at {@code now}: alerts the next nearest unit, or flags the
     * command centre when no unit is left. Throws what the registry or the dispatcher throws.
     */
    void escalateIfDue(Incident incident, Instant now) {
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
                ledger.commit(incident);
                LOG.warn("Incident {}: primary unit did not acknowledge and no unit is left to alert", incident.id());
                return;
            }
            incident.escalated(next.get(), now, now.plus(escalationDelay));
            ledger.commit(incident);
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

    /**
     * The pressing box as the incident remembers it (position, place, primary unit), for when the registry does not
     * say.
     */
    static CallBoxInfo boxOf(Incident incident) {
        String primary = incident.units().stream().filter(u -> u.role() == AlertRole.PRIMARY)
                .map(AlertedUnit::unit).findFirst().orElse("");
        return new CallBoxInfo(incident.callbox(), incident.place(), null, null, incident.village(), incident.lat(),
                incident.lon(), primary);
    }

    // ------------------------------------------------------------------ registry and readiness

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

    /** Stops the dispatch executor after the dispatches already started. */
    void close() {
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
}
