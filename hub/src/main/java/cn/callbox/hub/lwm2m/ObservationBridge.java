package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * Observes what the hub must follow on each box (ARCHITECTURE.md): the locker 33000/0 (door and the enclosure's
 * tamper switch), every locker item (the whole object 33001, so new instances are seen too), the siren 33002/0, and
 * the box's power: Device 3/0/6 Available Power Sources (AC mains, value 6, is among them while the box is on mains)
 * and 3/0/9 Battery Level. Feeds the first responses and every notification into the presence. A box that does not
 * serve 3/0/6 or 3/0/9 answers the observation with NOT_FOUND: its power is then simply not known.
 * <p>
 * Requests are asynchronous; responses and notifications arrive on CoAP threads. Thread-safe.
 */
final class ObservationBridge implements ObservationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ObservationBridge.class);

    static final LwM2mPath LOCKER = new LwM2mPath(EquipmentLockerObject.ID, 0);
    static final LwM2mPath ITEMS = new LwM2mPath(LockerItemObject.ID);
    static final LwM2mPath SIREN = new LwM2mPath(SirenObject.ID, 0);
    static final int DEVICE = 3;
    static final int AVAILABLE_POWER_SOURCES = 6;
    static final int BATTERY_LEVEL = 9;
    /** OMA's value of AC (mains) power among the available power sources. */
    static final long AC_MAINS = 6;
    static final LwM2mPath POWER_SOURCES = new LwM2mPath(DEVICE, 0, AVAILABLE_POWER_SOURCES);
    static final LwM2mPath BATTERY = new LwM2mPath(DEVICE, 0, BATTERY_LEVEL);

    private final LeshanServer server;
    private final PresenceUpdates presence;
    private final Clock clock;
    private final long timeoutMillis;
    /** Per endpoint, the item kind of each 33001 instance, so that a notification of /33001/x/1 alone is understood. */
    private final Map<String, Map<Integer, ItemKind>> kinds = new ConcurrentHashMap<>();

    ObservationBridge(LeshanServer server, PresenceUpdates presence, Clock clock, long timeoutMillis) {
        this.server = Objects.requireNonNull(server, "server");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutMillis = timeoutMillis;
    }

    /** Starts the observations of a new registration. Returns at once. */
    void observe(Registration registration) {
        if (registration.getAvailableInstances().contains(LOCKER)) {
            observe(registration, LOCKER);
        }
        if (registration.getSupportedVersion(LockerItemObject.ID) != null) {
            observe(registration, ITEMS);
        }
        if (registration.getAvailableInstances().contains(SIREN)) {
            observe(registration, SIREN);
        }
        if (registration.getAvailableInstances().contains(new LwM2mPath(DEVICE, 0))) {
            observe(registration, POWER_SOURCES);
            observe(registration, BATTERY);
        }
    }

    /** Forgets what was learnt of a box whose registration ended. */
    void forget(String endpoint) {
        kinds.remove(endpoint);
    }

    private void observe(Registration registration, LwM2mPath path) {
        String endpoint = registration.getEndpoint();
        try {
            server.send(registration, new ObserveRequest(path), timeoutMillis, response -> {
                if (response.isSuccess()) {
                    apply(endpoint, path, response.getContent());
                } else if (response.getCode() == ResponseCode.NOT_FOUND) {
                    LOG.debug("Call box {} does not serve {}", endpoint, path);
                } else {
                    LOG.warn("Observe {} on {} refused: {} {}", path, endpoint, response.getCode(),
                            response.getErrorMessage());
                }
            }, e -> LOG.warn("Observe {} on {} failed: {}", path, endpoint, e.toString()));
        } catch (RuntimeException e) {
            LOG.warn("Observe {} on {} not sent: {}", path, endpoint, e.toString());
        }
    }

    @Override
    public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
        if (registration == null || !response.isSuccess()) {
            return;
        }
        apply(registration.getEndpoint(), observation.getPath(), response.getContent());
    }

    private void apply(String endpoint, LwM2mPath path, LwM2mNode content) {
        Instant now = clock.instant();
        boolean understood = false;
        Optional<Object> sounding = NodeValues.resourceValue(path, content, SirenObject.ID, 0, SirenObject.SOUNDING);
        if (sounding.isPresent() && sounding.get() instanceof Boolean value) {
            presence.sirenSounding(endpoint, value, now);
            understood = true;
        }
        Optional<Object> door = NodeValues.resourceValue(path, content, EquipmentLockerObject.ID, 0,
                EquipmentLockerObject.DOOR_OPEN);
        if (door.isPresent() && door.get() instanceof Boolean value) {
            presence.doorOpen(endpoint, value, now);
            understood = true;
        }
        Optional<Object> tamper = NodeValues.resourceValue(path, content, EquipmentLockerObject.ID, 0,
                EquipmentLockerObject.TAMPER);
        if (tamper.isPresent() && tamper.get() instanceof Boolean value) {
            presence.tamper(endpoint, value, now);
            if (value) {
                LOG.warn("Call box {} reports its enclosure open (tamper)", endpoint);
            }
            understood = true;
        }
        Optional<Map<Integer, Object>> sources = NodeValues.resourceValues(path, content, DEVICE, 0,
                AVAILABLE_POWER_SOURCES);
        if (sources.isPresent()) {
            boolean onMains = sources.get().values().stream()
                    .anyMatch(source -> source instanceof Number number && number.longValue() == AC_MAINS);
            presence.onMains(endpoint, onMains, now);
            if (!onMains) {
                LOG.warn("Call box {} reports no mains power: running on its battery", endpoint);
            }
            understood = true;
        }
        Optional<Object> battery = NodeValues.resourceValue(path, content, DEVICE, 0, BATTERY_LEVEL);
        if (battery.isPresent() && battery.get() instanceof Number percent) {
            presence.batteryLevel(endpoint, percent.intValue(), now);
            understood = true;
        }
        if (path.getObjectId() != null && path.getObjectId() == LockerItemObject.ID) {
            understood |= applyItems(endpoint, path, content, now);
        }
        if (!understood) {
            presence.seen(endpoint, now);
        }
    }

    private boolean applyItems(String endpoint, LwM2mPath path, LwM2mNode content, Instant now) {
        boolean understood = false;
        if (content instanceof LwM2mObject object) {
            for (LwM2mObjectInstance instance : object.getInstances().values()) {
                understood |= applyItem(endpoint, new LwM2mPath(LockerItemObject.ID, instance.getId()), instance,
                        now);
            }
        } else if (path.getObjectInstanceId() != null) {
            understood = applyItem(endpoint, path, content, now);
        }
        return understood;
    }

    private boolean applyItem(String endpoint, LwM2mPath path, LwM2mNode content, Instant now) {
        int instance = path.getObjectInstanceId();
        Map<Integer, ItemKind> known = kinds.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        Optional<Object> kindName = NodeValues.resourceValue(path, content, LockerItemObject.ID, instance,
                LockerItemObject.ITEM_KIND);
        if (kindName.isPresent()) {
            Optional<ItemKind> kind = WireName.parse(ItemKind.class, String.valueOf(kindName.get()));
            if (kind.isPresent()) {
                known.put(instance, kind.get());
            } else {
                LOG.warn("Call box {} reports an unknown item kind '{}' in /33001/{}; ignored", endpoint,
                        kindName.get(), instance);
                known.remove(instance);
            }
        }
        Optional<Object> present = NodeValues.resourceValue(path, content, LockerItemObject.ID, instance,
                LockerItemObject.PRESENT);
        ItemKind kind = known.get(instance);
        if (present.isPresent() && present.get() instanceof Number count && kind != null) {
            presence.itemsPresent(endpoint, kind, Math.max(0, count.intValue()), now);
            return true;
        }
        return false;
    }

    @Override
    public void onResponse(CompositeObservation observation, Registration registration,
            ObserveCompositeResponse response) {
        // the hub starts no composite observations
    }

    @Override
    public void onError(Observation observation, Registration registration, Exception error) {
        LOG.warn("Notification from {} could not be handled: {}",
                registration == null ? "?" : registration.getEndpoint(), error.toString());
    }

    @Override
    public void newObservation(Observation observation, Registration registration) {
        LOG.debug("Observing {} on {}", observation, registration.getEndpoint());
    }

    @Override
    public void cancelled(Observation observation) {
        LOG.debug("Observation {} cancelled", observation);
    }
}
