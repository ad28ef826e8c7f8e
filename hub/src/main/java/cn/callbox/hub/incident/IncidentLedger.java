package cn.callbox.hub.incident;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.system.RandomIds;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * Every incident the {@link IncidentService} handles, kept in memory and written through to the {@link IncidentStore}
 * (its only user), with the publication of each change. Memory is the truth while the database is down: a failed
 * write is logged once, remembered, and retried by {@link #retryUnsaved()} until it succeeds.
 * <p>
 * Thread-safe. The caller holds an incident's monitor around {@link #commit}, {@link #persist} and {@link #publish},
 * so that the stored and retained states of one incident end with its latest change.
 */
final class IncidentLedger {

    /** Logs as the service: the alarm path's log lines keep the logger name operators filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    /** The township's zone: incident ids carry the local date. */
    static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");

    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(TOWNSHIP_ZONE);

    private final IncidentStore store;
    private final AlarmPublisher publisher;
    private final Function<IncidentSnapshot, String> json;
    private final SecureRandom random = new SecureRandom();

    private final ConcurrentMap<String, Incident> incidents = new ConcurrentHashMap<>();
    private final ConcurrentMap<PressKey, Recorded> pressesSeen = new ConcurrentHashMap<>();
    private final Set<String> unsaved = ConcurrentHashMap.newKeySet();

    /** @param json writes the incident JSON published on the incidents topic (the REST representation) */
    IncidentLedger(IncidentStore store, AlarmPublisher publisher, Function<IncidentSnapshot, String> json) {
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.json = Objects.requireNonNull(json, "json");
    }

    // ------------------------------------------------------------------ memory

    /**
     * Keeps the incident in memory unless one with its id already is, and indexes it by its presses (a drill has
     * none: it must not swallow a real alarm of its box).
     *
     * @return the incident kept: the one given or the one already in memory
     */
    Incident remember(Incident incident) {
        Incident existing = incidents.putIfAbsent(incident.id(), incident);
        Incident kept = existing == null ? incident : existing;
        synchronized (kept) {
            kept.presses().forEach(press -> pressSeen(kept, press));
        }
        return kept;
    }

    /**
     * Indexes one press of the incident, so that its resends find the incident. A press without a time stamp may
     * share its key with an older one (its number came round again after an hour): the newer one is kept.
     */
    void pressSeen(Incident incident, Press press) {
        pressesSeen.merge(PressKey.of(incident.callbox(), press), new Recorded(incident.id(), press.recordedAt()),
                (known, seen) -> seen.at().isAfter(known.at()) ? seen : known);
    }

    /**
     * The id of the incident holding a press already in memory; null when there is none. A press reported without a
     * time matches only one recorded since {@code unstampedSince}.
     */
    String knownPress(PressKey key, Instant unstampedSince) {
        Recorded seen = pressesSeen.get(key);
        if (seen == null || key.reportedAt() == null && seen.at().isBefore(unstampedSince)) {
            return null;
        }
        return seen.incidentId();
    }

    /** Every incident in memory: a live, weakly consistent view. */
    Collection<Incident> all() {
        return incidents.values();
    }

    /**
     * The incident from memory, else from the store (then kept in memory); empty for a blank or unknown id.
     *
     * @throws org.springframework.dao.DataAccessException when it is not in memory and the store is unreachable
     */
    Optional<Incident> resolve(String incidentId) {
        if (incidentId == null || incidentId.isBlank()) {
            return Optional.empty();
        }
        Incident known = incidents.get(incidentId);
        if (known != null) {
            return Optional.of(known);
        }
        return store.findById(incidentId).map(this::remember);
    }

    // ------------------------------------------------------------------ store

    /** Stores a new incident; throws as {@link IncidentStore#insert} does. */
    void insert(Incident incident) {
        store.insert(incident);
    }

    /**
     * The stored incident holding a press; empty when there is none.
     *
     * @throws org.springframework.dao.DataAccessException when the store is unreachable: the caller cannot tell a
     *         resend from a new press then
     */
    Optional<Incident> storedPress(PressKey key, Instant unstampedSince) {
        return store.findByPress(key.callbox(), key.sequence(), key.reportedAt(), unstampedSince);
    }

    /** Throws as {@link IncidentStore#lastDrillNumber} does. */
    long lastDrillNumber() {
        return store.lastDrillNumber();
    }

    /** Throws as {@link IncidentStore#open} does. */
    List<Incident> storedOpen() {
        return store.open();
    }

    /**
     * The newest incidents first, at most {@code limit}: the stored ones and those in memory, memory winning; from
     * memory alone while the database is down.
     */
    List<Incident> newest(int limit) {
        Map<String, Incident> all = new LinkedHashMap<>();
        try {
            store.recent(limit).forEach(i -> all.put(i.id(), i));
        } catch (RuntimeException e) {
            LOG.error("Could not read incidents from the database; listing those in memory: {}", e.toString());
        }
        all.putAll(incidents); // memory is at least as fresh as the database
        return all.values().stream()
                .sorted(Comparator.comparing(Incident::recordedAt).thenComparing(Incident::id).reversed())
                .limit(limit).toList();
    }

    /** Marks an incident whose first write failed (the caller logged why), so that the retries write it. */
    void unsaved(String incidentId) {
        unsaved.add(incidentId);
    }

    /** Whether the incident's last change is not in the database yet. */
    boolean isUnsaved(String incidentId) {
        return unsaved.contains(incidentId);
    }

    /** Writes again every incident whose last write failed, the oldest first. */
    void retryUnsaved() {
        List<Incident> pending = unsaved.stream().map(incidents::get).filter(Objects::nonNull)
                .sorted(Comparator.comparing(Incident::recordedAt)).toList();
        unsaved.removeIf(id -> !incidents.containsKey(id));
        for (Incident incident : pending) {
            String id = incident.id();
            synchronized (incident) {
                if (persist(incident)) {
                    LOG.info("Incident {} written to the database after an earlier failure", id);
                }
            }
        }
    }

    // ------------------------------------------------------------------ changes

    /** Persists and publishes a change; the caller holds the incident's monitor. */
    void commit(Incident incident) {
        persist(incident);
        publish(incident);
    }

    /**
     * Saves the incident; a failure is logged (once until a write succeeds) and left to the retries.
     *
     * @return true when the write succeeded
     */
    boolean persist(Incident incident) {
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

    /** Publishes the incident's JSON; a failure is logged, never thrown. The caller holds the incident's monitor. */
    void publish(Incident incident) {
        try {
            publisher.publishIncident(incident.id(), json.apply(IncidentView.of(incident)));
        } catch (RuntimeException e) {
            LOG.error("Could not publish the state of incident {}", incident.id(), e);
        }
    }

    /** A fresh incident id, {@code INC-<local date>-<6 random base32 characters>}. */
    String newId(Instant now) {
        return "INC-" + ID_DATE.format(now) + "-" + RandomIds.base32(random, 6);
    }

    /**
     * What identifies a press of a box's panic button: the box, its counter value and the press time it reported
     * (null when it reported none). A box whose counter restarted reuses numbers, never with the same time.
     */
    record PressKey(String callbox, long sequence, Instant reportedAt) {

        static PressKey of(String callbox, Press press) {
            return new PressKey(callbox, press.sequence(), press.reportedAt());
        }
    }

    /** Where and when a press was recorded. */
    private record Recorded(String incidentId, Instant at) {
    }
}
