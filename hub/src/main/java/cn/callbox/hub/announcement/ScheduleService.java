package cn.callbox.hub.announcement;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleFeed;

/**
 * Announcement schedules: kept in the database, run by {@link #tick()} (every 15 s) on the injected clock. Each
 * occurrence runs at most once: it is claimed in the database before it is sent, so neither a second tick nor a hub
 * restart repeats it. An occurrence found more than 15 minutes late (the hub was down) is skipped and logged, never
 * sent late; a created or changed schedule never runs for an occurrence before the change. Runs are broadcasts
 * requested by {@code schedule:<name>} and audited as actor {@code system}. Thread-safe.
 */
final class ScheduleService {

    /** An occurrence found later than this after its time is skipped. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(15);
    static final int MAX_NAME = 100;
    static final String EVENT = "announcement-schedule";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm")
            .withResolverStyle(ResolverStyle.STRICT);

    private final JdbcScheduleStore store;
    private final AnnouncementService announcements;
    private final TownshipDirectory directory;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final Clock clock;

    ScheduleService(JdbcScheduleStore store, AnnouncementService announcements, TownshipDirectory directory,
            AuditTrail audit, ConsoleFeed feed, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.announcements = Objects.requireNonNull(announcements, "announcements");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A schedule as asked for, before it is checked; null lists are empty, null {@code enabled} is true. */
    record Definition(String name, String text, String clip, Integer repeat, Targets targets,
            List<Integer> daysOfWeek, List<Integer> daysOfMonth, String time, Boolean enabled) {
    }

    /**
     * The JSON of the API. Times are ISO-8601 UTC; {@code time} is HH:mm township time.
     *
     * @param nextRunAt null when disabled or no day ever matches
     */
    record View(String id, String name, String text, String clip, int repeat, List<String> callboxes,
            List<String> villages, List<String> units, List<Integer> daysOfWeek, List<Integer> daysOfMonth,
            String time, boolean enabled, String lastRunAt, String nextRunAt) {
    }

    View view(Schedule s) {
        return new View(s.id(), s.name(), s.text(), s.clip(), s.repeat(), s.targets().callboxes(),
                s.targets().villages(), s.targets().units(), s.daysOfWeek(), s.daysOfMonth(), s.time().format(HH_MM),
                s.enabled(), s.lastRunAt() == null ? null : s.lastRunAt().toString(),
                nextRun(s, clock.instant()).map(Instant::toString).orElse(null));
    }

    /** When the schedule will next broadcast, as seen at {@code now}. */
    static Optional<Instant> nextRun(Schedule s, Instant now) {
        if (!s.enabled()) {
            return Optional.empty();
        }
        Instant from = now.minus(MISSED_AFTER);
        return s.firstAfter(s.handledUntil().isAfter(from) ? s.handledUntil() : from);
    }

    /** Every schedule; a unit leader sees those that reach a box of their unit. */
    List<Schedule> all(Caller caller) {
        List<Schedule> all = store.all();
        if (caller.confinedToUnit().isEmpty()) {
            return all;
        }
        return all.stream().filter(s -> reachesOwnUnit(s, caller)).toList();
    }

    /**
     * @throws AnnouncementException.ScheduleNotFound for an unknown id
     * @throws AnnouncementException.OtherUnit when a unit leader's unit is not reached by it
     */
    Schedule get(String id, Caller caller) {
        Schedule s = store.find(id).orElseThrow(() -> new AnnouncementException.ScheduleNotFound(id));
        if (caller.confinedToUnit().isPresent() && !reachesOwnUnit(s, caller)) {
            throw new AnnouncementException.OtherUnit("Schedule " + id + " does not reach a call box of unit "
                    + caller.unitId() + ".");
        }
        return s;
    }

    Schedule create(Definition definition, String username) {
        Instant now = clock.instant();
        Schedule checked = check(newId(), definition, now, null, now);
        store.insert(checked);
        LOG.info("Announcement schedule {} '{}' created by {}", checked.id(), checked.name(), username);
        audit.record(username, "announcement-schedule-create", checked.id(), describe(checked));
        publish(checked, false);
        return checked;
    }

    Schedule update(String id, Definition definition, String username) {
        Schedule old = store.find(id).orElseThrow(() -> new AnnouncementException.ScheduleNotFound(id));
        Instant now = clock.instant();
        Schedule checked = check(id, definition, now, old.lastRunAt(), old.createdAt());
        if (!store.update(checked)) {
            throw new AnnouncementException.ScheduleNotFound(id);
        }
        audit.record(username, "announcement-schedule-update", id, describe(checked));
        publish(checked, false);
        return checked;
    }

    void delete(String id, String username) {
        Schedule old = store.find(id).orElseThrow(() -> new AnnouncementException.ScheduleNotFound(id));
        if (!store.delete(id)) {
            throw new AnnouncementException.ScheduleNotFound(id);
        }
        audit.record(username, "announcement-schedule-delete", id, old.name());
        publish(old, true);
    }

    /**
     * Creates the schedule unless there is one already (demo seeding).
     *
     * @return true when it was created now
     * @throws AnnouncementException when the definition is refused
     */
    boolean createIfNone(Definition definition, String actor) {
        if (!store.isEmpty()) {
            return false;
        }
        create(definition, actor);
        return true;
    }

    /** Runs every enabled schedule's due occurrence once; skips (and logs) occurrences more than 15 minutes late. */
    void tick() {
        Instant now = clock.instant();
        for (Schedule s : store.all()) {
            if (!s.enabled()) {
                continue;
            }
            Optional<Instant> occurrence = s.latestAtOrBefore(now);
            if (occurrence.isEmpty() || !occurrence.get().isAfter(s.handledUntil())) {
                continue;
            }
            if (!store.claim(s.id(), occurrence.get())) {
                continue;
            }
            Duration late = Duration.between(occurrence.get(), now);
            if (late.compareTo(MISSED_AFTER) > 0) {
                LOG.warn("Announcement schedule {} '{}': the occurrence at {} was missed by {} s (hub not running?);"
                        + " skipped", s.id(), s.name(), occurrence.get(), late.toSeconds());
                continue;
            }
            try {
                run(s, now);
            } catch (RuntimeException e) {
                LOG.error("Announcement schedule {} '{}' failed at {}", s.id(), s.name(), occurrence.get(), e);
            }
        }
    }

    private void run(Schedule s, Instant now) {
        List<String> unknown = new ArrayList<>();
        SortedSet<String> endpoints = s.targets().resolve(directory, unknown);
        if (!unknown.isEmpty()) {
            LOG.warn("Announcement schedule {} '{}': targets no longer in the registry: {}", s.id(), s.name(),
                    String.join(", ", unknown));
        }
        if (endpoints.isEmpty()) {
            LOG.warn("Announcement schedule {} '{}' reaches no call box; not run", s.id(), s.name());
            return;
        }
        announcements.send(new AnnouncementService.Message(s.text(), s.clip(), s.repeat()), endpoints,
                "schedule:" + s.name(), "system", s.targets().describe());
        store.ran(s.id(), now);
        store.find(s.id()).ifPresent(ran -> publish(ran, false));
    }

    private Schedule check(String id, Definition d, Instant now, Instant lastRunAt, Instant createdAt) {
        if (d == null) {
            throw new AnnouncementException.Invalid("The body must be a schedule.");
        }
        String name = d.name() == null ? "" : d.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new AnnouncementException.Invalid("'name' is required, at most " + MAX_NAME + " characters.");
        }
        AnnouncementService.Message message = AnnouncementService.Message.of(d.text(), d.clip(), d.repeat());
        Targets targets = d.targets() == null ? new Targets(null, null, null) : d.targets();
        List<Integer> week = d.daysOfWeek() == null ? List.of() : d.daysOfWeek();
        List<Integer> month = d.daysOfMonth() == null ? List.of() : d.daysOfMonth();
        if (week.isEmpty() && month.isEmpty()) {
            throw new AnnouncementException.Invalid("Give the days it runs: 'daysOfWeek' (1-7, Monday = 1) and/or "
                    + "'daysOfMonth' (1-31).");
        }
        for (Integer day : week) {
            if (day == null || day < 1 || day > 7) {
                throw new AnnouncementException.Invalid("'daysOfWeek' takes 1-7 (Monday = 1), not " + day + ".");
            }
        }
        for (Integer day : month) {
            if (day == null || day < 1 || day > 31) {
                throw new AnnouncementException.Invalid("'daysOfMonth' takes 1-31, not " + day + ".");
            }
        }
        LocalTime time = parseTime(d.time());
        announcements.resolve(targets);
        boolean enabled = d.enabled() == null || d.enabled();
        return new Schedule(id, name, message.text(), message.clip(), message.repeat(), targets, week, month, time,
                enabled, now, lastRunAt, createdAt);
    }

    private static LocalTime parseTime(String text) {
        if (text == null || !text.matches("\\d{2}:\\d{2}")) {
            throw new AnnouncementException.Invalid("'time' is HH:mm township time (Asia/Shanghai), e.g. 09:00, not "
                    + (text == null ? "missing" : "'" + text + "'") + ".");
        }
        try {
            return LocalTime.parse(text, HH_MM);
        } catch (DateTimeParseException e) {
            throw new AnnouncementException.Invalid("'time' " + text + " is not a time of day (00:00-23:59).");
        }
    }

    private boolean reachesOwnUnit(Schedule s, Caller caller) {
        Set<String> own = announcements.ownBoxes(caller);
        return s.targets().units().contains(caller.unitId())
                || s.targets().resolve(directory, null).stream().anyMatch(own::contains);
    }

    private void publish(Schedule s, boolean deleted) {
        Object payload = deleted ? new Deleted(s.id(), true) : view(s);
        feed.publishForUnits(EVENT, payload, announcements.unitsOf(s.targets().resolve(directory, null)));
    }

    /** The feed's payload for a deleted schedule. */
    record Deleted(String id, boolean deleted) {
    }

    private static String describe(Schedule s) {
        return s.name() + ": " + (s.text() != null ? "text: " + s.text() : "clip: " + s.clip()) + "; "
                + s.targets().describe() + "; days of week " + s.daysOfWeek() + ", days of month " + s.daysOfMonth()
                + " at " + s.time().format(HH_MM) + (s.enabled() ? "" : " (disabled)");
    }

    private static String newId() {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        return "as-" + HexFormat.of().formatHex(bytes);
    }
}
