package cn.callbox.hub.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.incident.IncidentListener;
import cn.callbox.hub.readiness.ReadinessListener;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.ConsoleFeed.RawJson;
import cn.callbox.protocol.mqtt.CallBoxStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the hub's changes into the console's live events:
 * <ul>
 * <li>{@code callbox}: {@code {"endpoint", "online", "lastSeen", "sirenSounding", "lockerReady", "tamper",
 * "onMains"}} on every status
 * change of a box (the same fields as its MQTT status topic);</li>
 * <li>{@code incident}: the incident JSON of {@code GET /api/incidents/{id}} on every change;</li>
 * <li>{@code readiness}: {@code {"unit", "state", "ready"}} when a unit's readiness changes.</li>
 * </ul>
 * A unit leader's page gets the events of their own unit only.
 */
@Component
class LiveUpdates implements CallBoxStatusPublisher, IncidentListener, ReadinessListener {

    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

    private final ConsoleFeed feed;
    private final TownshipDirectory directory;
    private final JsonMapper json = JsonMapper.builder().build();
    /** endpoint → unit; the registry is not read again on every heartbeat of a box. */
    private final ConcurrentMap<String, String> unitOfBox = new ConcurrentHashMap<>();

    LiveUpdates(ConsoleFeed feed, TownshipDirectory directory) {
        this.feed = feed;
        this.directory = directory;
    }

    record CallBoxEvent(String endpoint, boolean online, String lastSeen, boolean sirenSounding,
            Boolean lockerReady, boolean tamper, Boolean onMains) {
    }

    record ReadinessEvent(String unit, String state, boolean ready) {
    }

    @Override
    public void publishStatus(String endpoint, CallBoxStatus status) {
        CallBoxEvent event = new CallBoxEvent(endpoint, status.online(), status.lastSeen(), status.sirenSounding(),
                status.lockerReady(), status.tamper(), status.onMains());
        // the box's unit (a registry read the first time) is looked up on the feed's thread, not the transport's
        feed.publishScoped("callbox", event, () -> unitOf(endpoint).map(List::of).orElse(List.of()));
    }

    /** Called under the incident's monitor: the units are read from the JSON later, on the feed's own thread. */
    @Override
    public void incidentChanged(String incidentId, String incidentJson) {
        feed.publishScoped("incident", new RawJson(incidentJson), () -> unitsOf(incidentId, incidentJson));
    }

    @Override
    public void readinessChanged(UnitReadiness previous, UnitReadiness current) {
        if (previous != null && previous.state() == current.state()) {
            return;
        }
        feed.publishForUnits("readiness",
                new ReadinessEvent(current.unitId(), current.state().wireName(), current.ready()),
                List.of(current.unitId()));
    }

    private List<String> unitsOf(String incidentId, String incidentJson) {
        List<String> units = new ArrayList<>();
        try {
            for (JsonNode unit : json.readTree(incidentJson).path("units")) {
                units.add(unit.path("unit").asString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Incident {} JSON unreadable for the console's scoping: {}", incidentId, e.toString());
        }
        return units;
    }

    private Optional<String> unitOf(String endpoint) {
        String unit = unitOfBox.get(endpoint);
        if (unit != null) {
            return Optional.of(unit);
        }
        try {
            Optional<String> found = directory.callBox(endpoint).map(CallBoxInfo::unitId);
            found.ifPresent(u -> unitOfBox.put(endpoint, u));
            return found;
        } catch (RuntimeException e) {
            LOG.warn("Unit of box {} unknown for the console's scoping: {}", endpoint, e.toString());
            return Optional.empty();
        }
    }
}
