package cn.callbox.hub.drill;

import java.util.Objects;
import java.util.Optional;

import cn.callbox.hub.incident.IncidentService;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/** {@link DrillLauncher} over the hub's {@link IncidentService}. */
final class IncidentDrillLauncher implements DrillLauncher {

    private final IncidentService incidents;

    IncidentDrillLauncher(IncidentService incidents) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
    }

    @Override
    public IncidentSnapshot start(String unitId, String actor) {
        return incidents.startDrill(unitId, actor);
    }

    @Override
    public Optional<IncidentSnapshot> incident(String incidentId) {
        return incidents.find(incidentId);
    }
}
