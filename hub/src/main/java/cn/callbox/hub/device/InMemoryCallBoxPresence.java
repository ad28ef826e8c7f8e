package cn.callbox.hub.device;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.mqtt.CallBoxStatus;

/**
 * {@link CallBoxPresence} kept in memory, fed through {@link PresenceUpdates} by the LwM2M adapter. Forgets everything
 * on restart: boxes register again within their lifetime, and the hub re-observes them then.
 * <p>
 * Thread-safe. Changes to one box are applied and published under that box's lock, so the retained status on the
 * broker always ends with the latest state; different boxes do not wait for each other. A publisher or listener that
 * throws is logged; the change is kept.
 */
public class InMemoryCallBoxPresence implements CallBoxPresence, PresenceUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryCallBoxPresence.class);

    private final Map<String, Box> boxes = new ConcurrentHashMap<>();
    private final CallBoxStatusPublisher statusPublisher;
    private final LockerListener lockerListener;
    private final PresenceListener presenceListener;
    private final ConditionListener conditionListener;
    private final ClockListener clockListener;
    /** Set once by the readiness feature, which itself depends on this presence (so not a constructor argument). */
    private volatile LockerReadiness lockerReadiness = LockerReadiness.UNKNOWN;

    /**
     * @param statusPublisher told of every change of a box's status (must return quickly)
     * @param lockerListener told of every change of a box's locker (must return quickly)
     */
    public InMemoryCallBoxPresence(CallBoxStatusPublisher statusPublisher, LockerListener lockerListener) {
        this(statusPublisher, lockerListener, (endpoint, presence) -> {
        });
    }

    /**
     * @param statusPublisher told of every change of a box's status (must return quickly)
     * @param lockerListener told of every change of a box's locker (must return quickly)
     * @param presenceListener told when a box goes online or offline (must return quickly)
     */
    public InMemoryCallBoxPresence(CallBoxStatusPublisher statusPublisher, LockerListener lockerListener,
            PresenceListener presenceListener) {
        this(statusPublisher, lockerListener, presenceListener, (endpoint, before, after) -> {
        });
    }

    /**
     * @param statusPublisher told of every change of a box's status (must return quickly)
     * @param lockerListener told of every change of a box's locker (must return quickly)
     * @param presenceListener told when a box goes online or offline (must return quickly)
     * @param conditionListener told when a box's tamper, power source or battery level changes (must return quickly)
     */
    public InMemoryCallBoxPresence(CallBoxStatusPublisher statusPublisher, LockerListener lockerListener,
            PresenceListener presenceListener, ConditionListener conditionListener) {
        this(statusPublisher, lockerListener, presenceListener, conditionListener, (endpoint, before, after) -> {
        });
    }

    /**
     * @param statusPublisher told of every change of a box's status (must return quickly)
     * @param lockerListener told of every change of a box's locker (must return quickly)
     * @param presenceListener told when a box goes online or offline (must return quickly)
     * @param conditionListener told when a box's tamper, power source or battery level changes (must return quickly)
     * @param clockListener told of every measurement of a box's clock offset (must return quickly)
     */
    public InMemoryCallBoxPresence(CallBoxStatusPublisher statusPublisher, LockerListener lockerListener,
            PresenceListener presenceListener, ConditionListener conditionListener, ClockListener clockListener) {
        this.statusPublisher = Objects.requireNonNull(statusPublisher, "statusPublisher");
        this.lockerListener = Objects.requireNonNull(lockerListener, "lockerListener");
        this.presenceListener = Objects.requireNonNull(presenceListener, "presenceListener");
        this.conditionListener = Objects.requireNonNull(conditionListener, "conditionListener");
        this.clockListener = Objects.requireNonNull(clockListener, "clockListener");
    }

    /** Where {@code lockerReady} of the published status comes from. */
    public void useLockerReadiness(LockerReadiness readiness) {
        this.lockerReadiness = Objects.requireNonNull(readiness, "readiness");
    }

    /**
     * Publishes the box's status again, unchanged but for {@code lockerReady}: for when the unit's kit judgement
     * changed. Does nothing for a box never seen.
     */
    public void republishStatus(String endpoint) {
        Box box = boxes.get(endpoint);
        if (box != null) {
            box.republish(endpoint);
        }
    }

    @Override
    public Presence presenceOf(String endpoint) {
        Box box = boxes.get(endpoint);
        return box == null ? Presence.UNKNOWN : box.current();
    }

    @Override
    public void registered(String endpoint, Instant at) {
        change(endpoint, p -> p.withOnline(true, latest(p.lastSeen(), at)));
    }

    @Override
    public void registered(String endpoint, Instant at, Liveness liveness) {
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(endpoint, "endpoint");
        boxes.computeIfAbsent(endpoint, e -> new Box()).promised(liveness);
        registered(endpoint, at);
    }

    @Override
    public void seen(String endpoint, Instant at) {
        registered(endpoint, at);
    }

    @Override
    public void offline(String endpoint) {
        change(endpoint, p -> p.withOnline(false, p.lastSeen()));
    }

    /**
     * {@inheritDoc} Each box is checked and changed under its own lock, so a box heard while the sweep runs stays
     * online.
     */
    @Override
    public List<String> offlineIfSilent(Instant now, Function<Liveness, Duration> silenceBound) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(silenceBound, "silenceBound");
        List<String> silenced = new ArrayList<>();
        boxes.forEach((endpoint, box) -> {
            Instant heardBefore = now.minus(silenceBound.apply(box.liveness()));
            if (box.change(endpoint, p -> p.online() && p.lastSeen() != null && p.lastSeen().isBefore(heardBefore)
                    ? p.withOnline(false, p.lastSeen())
                    : p)) {
                silenced.add(endpoint);
            }
        });
        return silenced;
    }

    /** {@inheritDoc} Checked and told under each box's lock, like the other changes. */
    @Override
    public List<String> offlineLasting(Instant heardBefore) {
        Objects.requireNonNull(heardBefore, "heardBefore");
        List<String> lasting = new ArrayList<>();
        boxes.forEach((endpoint, box) -> {
            if (box.silenceLasting(endpoint, heardBefore)) {
                lasting.add(endpoint);
            }
        });
        return lasting;
    }

    @Override
    public void sirenSounding(String endpoint, boolean sounding, Instant at) {
        change(endpoint, p -> p.withSiren(sounding, latest(p.lastSeen(), at)));
    }

    @Override
    public void doorOpen(String endpoint, boolean open, Instant at) {
        change(endpoint, p -> p.withDoor(open, latest(p.lastSeen(), at)));
    }

    @Override
    public void itemsPresent(String endpoint, ItemKind kind, int present, Instant at) {
        Objects.requireNonNull(kind, "kind");
        change(endpoint, p -> {
            Map<ItemKind, Integer> items = new EnumMap<>(ItemKind.class);
            items.putAll(p.itemsPresent());
            items.put(kind, present);
            return p.withItems(Map.copyOf(items), latest(p.lastSeen(), at));
        });
    }

    @Override
    public void tamper(String endpoint, boolean tampered, Instant at) {
        change(endpoint, p -> p.withTamper(tampered, latest(p.lastSeen(), at)));
    }

    @Override
    public void onMains(String endpoint, boolean onMains, Instant at) {
        change(endpoint, p -> p.withMains(onMains, latest(p.lastSeen(), at)));
    }

    @Override
    public void batteryLevel(String endpoint, int percent, Instant at) {
        int clamped = Math.max(0, Math.min(100, percent));
        change(endpoint, p -> p.withBattery(clamped, latest(p.lastSeen(), at)));
    }

    @Override
    public void clockOffset(String endpoint, ClockOffset offset) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(offset, "offset");
        boxes.computeIfAbsent(endpoint, e -> new Box()).measured(endpoint, offset);
    }

    private void change(String endpoint, UnaryOperator<Presence> update) {
        Objects.requireNonNull(endpoint, "endpoint");
        boxes.computeIfAbsent(endpoint, e -> new Box()).change(endpoint, update);
    }

    /** Notifications may overtake each other: lastSeen never goes back. */
    private static Instant latest(Instant known, Instant at) {
        if (known == null) {
            return at;
        }
        return at == null || at.isBefore(known) ? known : at;
    }

    private void publish(String endpoint, Presence presence) {
        CallBoxStatus status = new CallBoxStatus(presence.online(),
                presence.lastSeen() == null ? null : presence.lastSeen().toString(), presence.sirenSounding(),
                lockerReady(endpoint), presence.tampered(), presence.onMains());
        try {
            statusPublisher.publishStatus(endpoint, status);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the status of call box {}: {}", endpoint, e.toString());
        }
    }

    private Boolean lockerReady(String endpoint) {
        try {
            return lockerReadiness.lockerReady(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("Locker readiness of call box {} unavailable: {}", endpoint, e.toString());
            return null;
        }
    }

    private void tellOnline(String endpoint, Presence presence) {
        try {
            presenceListener.onlineChanged(endpoint, presence);
        } catch (RuntimeException e) {
            LOG.warn("A presence listener failed for call box {}: {}", endpoint, e.toString());
        }
    }

    private void tellCondition(String endpoint, Presence before, Presence after) {
        try {
            conditionListener.conditionChanged(endpoint, before, after);
        } catch (RuntimeException e) {
            LOG.warn("A condition listener failed for call box {}: {}", endpoint, e.toString());
        }
    }

    private void tellLasting(String endpoint, Presence presence) {
        try {
            presenceListener.offlineLasting(endpoint, presence);
        } catch (RuntimeException e) {
            LOG.warn("A presence listener failed for call box {} offline for long: {}", endpoint, e.toString());
        }
    }

    private void tellClock(String endpoint, ClockOffset before, ClockOffset after) {
        try {
            clockListener.clockMeasured(endpoint, before, after);
        } catch (RuntimeException e) {
            LOG.warn("A clock listener failed for call box {}: {}", endpoint, e.toString());
        }
    }

    private void tellLocker(String endpoint, Presence presence) {
        try {
            lockerListener.lockerChanged(endpoint, presence.doorOpen(), presence.itemsPresent());
        } catch (RuntimeException e) {
            LOG.warn("A locker listener failed for call box {}: {}", endpoint, e.toString());
        }
    }

    /** One box's state; its monitor orders the changes and publications of that box. */
    private final class Box {
        private Presence presence = Presence.UNKNOWN;
        private Liveness liveness = Liveness.UNKNOWN;
        /** This silence was told as lasting; cleared when the box is online again. */
        private boolean lastingTold;

        synchronized Presence current() {
            return presence;
        }

        synchronized Liveness liveness() {
            return liveness;
        }

        synchronized void promised(Liveness promised) {
            liveness = promised;
        }

        /** @return true when the box is offline, silent since before {@code heardBefore}, and not told so yet */
        synchronized boolean silenceLasting(String endpoint, Instant heardBefore) {
            if (presence.online() || lastingTold || presence.lastSeen() == null
                    || !presence.lastSeen().isBefore(heardBefore)) {
                return false;
            }
            lastingTold = true;
            tellLasting(endpoint, presence);
            return true;
        }

        synchronized void republish(String endpoint) {
            publish(endpoint, presence);
        }

        /** Keeps the offset and tells the clock listener; publishes nothing (the status does not carry the clock). */
        synchronized void measured(String endpoint, ClockOffset offset) {
            ClockOffset before = presence.clockOffset();
            presence = presence.withClockOffset(offset);
            tellClock(endpoint, before, offset);
        }

        /** @return true when the box went from online to offline */
        synchronized boolean change(String endpoint, UnaryOperator<Presence> update) {
            Presence before = presence;
            Presence after = update.apply(before);
            if (after.equals(before)) {
                return false;
            }
            presence = after;
            if (after.online()) {
                lastingTold = false;
            }
            publish(endpoint, after);
            if (before.online() != after.online()) {
                tellOnline(endpoint, after);
            }
            if (!Objects.equals(before.doorOpen(), after.doorOpen())
                    || !before.itemsPresent().equals(after.itemsPresent())) {
                tellLocker(endpoint, after);
            }
            if (after.conditionDiffers(before)) {
                tellCondition(endpoint, before, after);
            }
            return before.online() && !after.online();
        }
    }
}
