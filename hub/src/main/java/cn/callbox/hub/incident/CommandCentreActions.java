package cn.callbox.hub.incident;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.IncidentSignals.Alarm;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * What the command centre does to an open incident by hand (the {@link IncidentService} methods of the same names
 * document each contract): alert one more unit, call the police, close it as resolved or as a false alarm. Each
 * change is logged with its actor and committed under the incident's monitor; sirens and alerts follow after the
 * monitor is released. Thread-safe.
 */
final class CommandCentreActions {

    /** Logs as the service: the alarm path's log lines keep the logger name operators filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    private final TownshipDirectory directory;
    private final IncidentLedger ledger;
    private final IncidentSignals signals;
    private final Clock clock;

    CommandCentreActions(TownshipDirectory directory, IncidentLedger ledger, IncidentSignals signals, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** See {@link IncidentService#alertSupport}. */
    IncidentSnapshot alertSupport(String incidentId, String unitId, String actor) {
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        UnitInfo unit = (unitId == null || unitId.isBlank() ? Optional.<UnitInfo>empty() : directory.unit(unitId))
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
            ledger.commit(incident);
            alarm = Alarm.of(incident);
            view = IncidentView.of(incident);
        }
        LOG.info("Incident {}: unit {} alerted by {}", incident.id(), unit.id(), actor);
        signals.alertUnit(alarm, step, unit, new HashSet<>());
        return view;
    }

    /** See {@link IncidentService#callPolice}. */
    IncidentSnapshot callPolice(String incidentId, String actor, String note) {
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            incident.policeCalled(actor, note, clock.instant());
            ledger.commit(incident);
            LOG.info("Incident {}: police called by {}", incident.id(), actor);
            return IncidentView.of(incident);
        }
    }

    /**
     * Closes the incident as {@code closed} ({@link IncidentState#RESOLVED} or {@link IncidentState#FALSE_ALARM}):
     * the box shows no call, then the sirens of every alerted unit stop. See {@link IncidentService#close} and
     * {@link IncidentService#falseAlarm}.
     */
    IncidentSnapshot closeBy(String incidentId, IncidentState closed, String actor, String note) {
        Incident incident = ledger.resolve(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId));
        IncidentSnapshot view;
        List<String> stopUnits;
        synchronized (incident) {
            if (incident.state().closed()) {
                throw new IncidentClosedException(incident.id(), incident.state());
            }
            incident.closedBy(closed, actor, note, clock.instant());
            signals.callStatus(incident, CallState.IDLE);
            stopUnits = incident.units().stream().map(AlertedUnit::unit).toList();
            ledger.commit(incident);
            view = IncidentView.of(incident);
        }
        LOG.info("Incident {} closed as {} by {}", incidentId, closed.wireName(), actor);
        signals.stopSirens(incidentId, stopUnits);
        return view;
    }
}
