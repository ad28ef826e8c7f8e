package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Commands for call boxes that are not registered, kept in memory until the box registers again.
 * <p>
 * Why: right after a hub restart every box is unregistered until its next heartbeat finds the hub again, and that is
 * when escalations and the first dispatch of recovered incidents fall due. Per box:
 * <ul>
 * <li>one <b>siren</b> start (a later start replaces it; a stop, or the end of its incident, drops it); it waits no
 * longer than it would have sounded, and sounds only for what is left of its duration;
 * <li>one <b>call status</b> (the latest state wins; kept when its incident ends: the box should learn that its call
 * is over);
 * <li>up to {@link #MAX_ANNOUNCEMENTS} <b>announcements</b>, in order (dropped when their incident ends).
 * </ul>
 * Nothing waits longer than {@code maxWait}. A stop is never kept: a box's siren stops by itself when its duration
 * runs out, and a stop delivered late could silence a villager's new alarm at that box. Thread-safe.
 */
final class PendingCommands {

    static final int MAX_ANNOUNCEMENTS = 5;

    /** Sends a command that waited {@code waited}. */
    @FunctionalInterface
    interface Delivery {
        void deliver(Duration waited);
    }

    private record Entry(String incidentId, Instant queuedAt, Instant expiresAt, Delivery delivery) {
    }

    private static final class Box {
        Entry siren;
        Entry callStatus;
        final List<Entry> announcements = new ArrayList<>();

        boolean isEmpty() {
            return siren == null && callStatus == null && announcements.isEmpty();
        }
    }

    private final Clock clock;
    private final Duration maxWait;
    private final Map<String, Box> boxes = new HashMap<>();

    /** @param maxWait the longest any command waits for its box */
    PendingCommands(Clock clock, Duration maxWait) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** Keeps a siren start for {@code endpoint}; {@code delivery} gets how long it waited. */
    synchronized void siren(String endpoint, String incidentId, Duration lasts, Delivery delivery) {
        Instant now = clock.instant();
        Duration wait = lasts.compareTo(maxWait) < 0 ? lasts : maxWait;
        box(endpoint).siren = new Entry(incidentId, now, now.plus(wait), delivery);
    }

    /** Keeps the box's latest call status. */
    synchronized void callStatus(String endpoint, String incidentId, Delivery delivery) {
        Instant now = clock.instant();
        box(endpoint).callStatus = new Entry(incidentId, now, now.plus(maxWait), delivery);
    }

    /**
     * Keeps an announcement.
     *
     * @return false when {@link #MAX_ANNOUNCEMENTS} already wait for the box (this one is dropped)
     */
    synchronized boolean announcement(String endpoint, String incidentId, Delivery delivery) {
        List<Entry> waiting = box(endpoint).announcements;
        if (waiting.size() >= MAX_ANNOUNCEMENTS) {
            return false;
        }
        Instant now = clock.instant();
        waiting.add(new Entry(incidentId, now, now.plus(maxWait), delivery));
        return true;
    }

    /**
     * A stop for the box: drops its waiting siren when it belongs to {@code incidentId} (any waiting siren when
     * {@code incidentId} is null).
     *
     * @return whether a waiting siren was dropped
     */
    synchronized boolean sirenStopped(String endpoint, String incidentId) {
        Box box = boxes.get(endpoint);
        if (box == null || box.siren == null
                || incidentId != null && !incidentId.equals(box.siren.incidentId())) {
            return false;
        }
        box.siren = null;
        forgetIfEmpty(endpoint, box);
        return true;
    }

    /**
     * Drops the sirens and announcements of the incident for every box.
     *
     * @return how many were dropped
     */
    synchronized int incidentEnded(String incidentId) {
        int dropped = 0;
        for (var it = boxes.entrySet().iterator(); it.hasNext();) {
            Box box = it.next().getValue();
            if (box.siren != null && incidentId.equals(box.siren.incidentId())) {
                box.siren = null;
                dropped++;
            }
            int before = box.announcements.size();
            box.announcements.removeIf(entry -> incidentId.equals(entry.incidentId()));
            dropped += before - box.announcements.size();
            if (box.isEmpty()) {
                it.remove();
            }
        }
        return dropped;
    }

    /**
     * Takes what waits for the box, still in time, in the order it should go out: siren, announcements, call status.
     * The caller delivers them (outside this object's lock).
     */
    synchronized List<Runnable> take(String endpoint) {
        Box box = boxes.remove(endpoint);
        if (box == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Entry> entries = new ArrayList<>();
        if (box.siren != null) {
            entries.add(box.siren);
        }
        entries.addAll(box.announcements);
        if (box.callStatus != null) {
            entries.add(box.callStatus);
        }
        List<Runnable> due = new ArrayList<>();
        for (Entry entry : entries) {
            if (now.isBefore(entry.expiresAt())) {
                Duration waited = Duration.between(entry.queuedAt(), now);
                due.add(() -> entry.delivery().deliver(waited));
            }
        }
        return due;
    }

    /** How many commands wait for the box (expired ones included until it registers). */
    synchronized int waiting(String endpoint) {
        Box box = boxes.get(endpoint);
        return box == null ? 0
                : (box.siren == null ? 0 : 1) + (box.callStatus == null ? 0 : 1) + box.announcements.size();
    }

    private Box box(String endpoint) {
        return boxes.computeIfAbsent(endpoint, e -> new Box());
    }

    private void forgetIfEmpty(String endpoint, Box box) {
        if (box.isEmpty()) {
            boxes.remove(endpoint);
        }
    }
}
