package cn.callbox.hub.rectification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.rectification.Rectification.LogLine;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rectification loop (检查→通报→整改→反馈): opens tasks with a deadline and an assignee, notifies over MQTT, takes
 * rectifications (from sensors or from the unit with a note and evidence), verification and reopening by staff, and
 * escalates overdue tasks to the command centre ({@link #tick()}).
 * <p>
 * Deadlines from opening: kit missing {@link #KIT_MISSING_DEADLINE}, understaffed the end of the duty day
 * (midnight Asia/Shanghai), self-test failed {@link #SELF_TEST_DEADLINE}, unplanned access
 * {@link #UNPLANNED_ACCESS_DEADLINE}, box offline {@link #BOX_OFFLINE_DEADLINE}, enclosure opened
 * {@link #TAMPER_DEADLINE}, mains lost {@link #MAINS_LOST_DEADLINE}, battery low {@link #LOW_BATTERY_DEADLINE}, clock skewed {@link #CLOCK_SKEW_DEADLINE}. A
 * reopened task gets a fresh
 * deadline. Every state change is appended to the task's log and published (retained) on the task's topic.
 * <p>
 * Thread-safe: every step is serialised on this service (one hub instance per township); a task that fails to be
 * stored is not changed.
 */
public class RectificationService implements RectificationTasks {

    private static final Logger LOG = LoggerFactory.getLogger(RectificationService.class);
    static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");
    static final Duration KIT_MISSING_DEADLINE = Duration.ofHours(24);
    static final Duration SELF_TEST_DEADLINE = Duration.ofHours(48);
    static final Duration UNPLANNED_ACCESS_DEADLINE = Duration.ofHours(24);
    /** Not named by the issue: a box offline for a day is as urgent as missing kit. */
    static final Duration BOX_OFFLINE_DEADLINE = Duration.ofHours(24);
    /** An opened enclosure may be a break-in or vandalism at a box villagers rely on: looked at the same day. */
    static final Duration TAMPER_DEADLINE = Duration.ofHours(12);
    /** The reference battery holds 24 h of standby (power budget): mains must be back well before that. */
    static final Duration MAINS_LOST_DEADLINE = Duration.ofHours(12);
    /** A low battery leaves hours, not a day. */
    static final Duration LOW_BATTERY_DEADLINE = Duration.ofHours(4);
    /** A wrong clock stops no alarm (the hub records such presses with its own time): fixed within the next day. */
    static final Duration CLOCK_SKEW_DEADLINE = Duration.ofHours(24);

    private final JdbcRectificationStore store;
    private final TownshipDirectory directory;
    private final RectificationPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;

    RectificationService(JdbcRectificationStore store, TownshipDirectory directory, RectificationPublisher publisher,
            JsonMapper json, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@inheritDoc}
     * <p>
     * A task of the same problem that was rectified but not verified yet is put back to work (the problem is seen
     * again) and its id returned. A closed task is never reused.
     *
     * @throws IllegalArgumentException for an unknown unit or a missing reason
     */
    @Override
    public synchronized String open(String unitId, Reason reason, String subject, String detail) {
        if (unitId == null || reason == null || directory.unit(unitId).isEmpty()) {
            throw new IllegalArgumentException("cannot open a task for unit " + unitId + ", reason " + reason);
        }
        String line = detail == null || detail.isBlank() ? reason.wireName() : detail;
        Instant now = clock.instant();
        List<Rectification> known = store.notClosed(unitId, reason, subject);
        for (Rectification task : known) {
            if (task.state().active()) {
                return task.id();
            }
        }
        if (!known.isEmpty()) {
            Rectification task = known.get(0);
            Rectification again = with(task, RectificationState.OPEN, deadline(reason, now), task.note(),
                    task.evidence(), Rectification.HUB, "problem seen again: " + line);
            store.save(again);
            notifyTask(again);
            return again.id();
        }
        String id = "rt-" + HexFormat.of().formatHex(randomBytes());
        Rectification task = new Rectification(id, unitId, reason, subject, RectificationState.OPEN, line,
                leaderToday(unitId), now, deadline(reason, now), null, null,
                List.of(new LogLine(now, Rectification.HUB, "opened: " + line)));
        store.save(task);
        LOG.info("Rectification task {} opened for unit {}: {} {}", id, unitId, reason.wireName(),
                subject == null ? "" : subject);
        notifyTask(task);
        return id;
    }

    /** Every task, newest first. */
    List<Rectification> all() {
        return store.all();
    }

    /** @throws RectificationNotFoundException */
    Rectification get(String id) {
        return store.find(id).orElseThrow(() -> new RectificationNotFoundException(id));
    }

    /**
     * The unit reports the problem fixed.
     *
     * @param note what was done, required
     * @param evidence proof offered (photo reference, text); may be null
     * @throws RectificationStateException when the task is already rectified or closed
     */
    synchronized Rectification rectify(String id, String note, String evidence, String actor) {
        Rectification task = get(id);
        if (!task.state().active()) {
            throw new RectificationStateException("Task " + id + " is " + task.state().wireName()
                    + ": only an open, notified or overdue task can be rectified.");
        }
        String message = "rectified: " + note + (evidence == null || evidence.isBlank() ? "" : " (evidence: "
                + evidence + ")");
        Rectification done = with(task, RectificationState.RECTIFIED, task.dueAt(), note, evidence, actor, message);
        store.save(done);
        publish(done);
        return done;
    }

    /**
     * The sensors (or the duty roster) show the problem gone: every active task of that problem becomes rectified,
     * with {@code message} in its log. Staff still verify. Nothing happens when there is none.
     */
    synchronized void rectifiedBySensors(String unitId, Reason reason, String subject, String message) {
        for (Rectification task : store.notClosed(unitId, reason, subject)) {
            if (task.state().active()) {
                Rectification done = with(task, RectificationState.RECTIFIED, task.dueAt(), task.note(),
                        task.evidence(), Rectification.HUB, message);
                store.save(done);
                publish(done);
                LOG.info("Rectification task {} rectified: {}", task.id(), message);
            }
        }
    }

    /**
     * Township staff verified the rectification: closes the task.
     *
     * @throws RectificationStateException unless the task is rectified
     */
    synchronized Rectification verify(String id, String actor) {
        Rectification task = get(id);
        if (task.state() != RectificationState.RECTIFIED) {
            throw new RectificationStateException("Task " + id + " is " + task.state().wireName()
                    + ": only a rectified task can be verified.");
        }
        Rectification closed = with(task, RectificationState.CLOSED, task.dueAt(), task.note(), task.evidence(),
                actor, "verified and closed");
        store.save(closed);
        publish(closed);
        return closed;
    }

    /**
     * Staff found the rectification wanting: the task goes back to the unit with a fresh deadline and is notified
     * again.
     *
     * @param note why; may be null
     * @throws RectificationStateException unless the task is rectified or closed
     */
    synchronized Rectification reopen(String id, String note, String actor) {
        Rectification task = get(id);
        if (task.state().active()) {
            throw new RectificationStateException("Task " + id + " is " + task.state().wireName()
                    + ": only a rectified or closed task can be reopened.");
        }
        Rectification again = with(task, RectificationState.OPEN, deadline(task.reason(), clock.instant()),
                task.note(), task.evidence(), actor, "reopened" + (note == null || note.isBlank() ? "" : ": " + note));
        store.save(again);
        return notifyTask(again);
    }

    /**
     * Retries notifications that did not go out, and escalates tasks past their deadline (open or notified) to the
     * command centre: state overdue, a log line, and the task published again. Called every 30 s by the ticker.
     */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Rectification task : store.inStates(RectificationState.OPEN, RectificationState.NOTIFIED)) {
            Rectification current = task;
            if (current.state() == RectificationState.OPEN) {
                current = notifyTask(current);
            }
            if (!now.isBefore(current.dueAt())) {
                Rectification overdue = with(current, RectificationState.OVERDUE, current.dueAt(), current.note(),
                        current.evidence(), Rectification.HUB,
                        "overdue since " + current.dueAt() + ": escalated to the command centre");
                store.save(overdue);
                publish(overdue);
                LOG.warn("Rectification task {} of unit {} is overdue: escalated to the command centre",
                        overdue.id(), overdue.unitId());
            }
        }
    }

    /** Publishes the task and marks it notified; stays open (retried by {@link #tick()}) when publishing fails. */
    private Rectification notifyTask(Rectification task) {
        Rectification notified = with(task, RectificationState.NOTIFIED, task.dueAt(), task.note(), task.evidence(),
                Rectification.HUB, "notified over MQTT"
                        + (task.assignee() == null ? " (no duty leader to assign)" : " to " + task.assignee()));
        if (!publish(notified)) {
            return task;
        }
        store.save(notified);
        return notified;
    }

    private boolean publish(Rectification task) {
        try {
            publisher.publishRectification(task.id(), json.writeValueAsString(RectificationView.of(task)));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not publish rectification task {}: {}", task.id(), e.toString());
            return false;
        }
    }

    private Rectification with(Rectification task, RectificationState state, Instant dueAt, String note,
            String evidence, String actor, String message) {
        List<LogLine> log = new ArrayList<>(task.log());
        log.add(new LogLine(clock.instant(), actor, message));
        return new Rectification(task.id(), task.unitId(), task.reason(), task.subject(), state, task.detail(),
                task.assignee(), task.openedAt(), dueAt, note, evidence, log);
    }

    private Instant deadline(Reason reason, Instant from) {
        return switch (reason) {
            case KIT_MISSING -> from.plus(KIT_MISSING_DEADLINE);
            case UNDERSTAFFED -> LocalDate.ofInstant(from, TOWNSHIP_ZONE).plusDays(1).atStartOfDay(TOWNSHIP_ZONE)
                    .toInstant();
            case SELF_TEST_FAILED -> from.plus(SELF_TEST_DEADLINE);
            case UNPLANNED_ACCESS -> from.plus(UNPLANNED_ACCESS_DEADLINE);
            case BOX_OFFLINE -> from.plus(BOX_OFFLINE_DEADLINE);
            case TAMPER -> from.plus(TAMPER_DEADLINE);
            case MAINS_LOST -> from.plus(MAINS_LOST_DEADLINE);
            case LOW_BATTERY -> from.plus(LOW_BATTERY_DEADLINE);
            case CLOCK_SKEW -> from.plus(CLOCK_SKEW_DEADLINE);
        };
    }

    private String leaderToday(String unitId) {
        try {
            DutyDay duty = directory.duty(unitId, LocalDate.ofInstant(clock.instant(), TOWNSHIP_ZONE));
            return duty == null ? null : duty.leaderId();
        } catch (RuntimeException e) {
            LOG.warn("Duty leader of unit {} unknown: {}", unitId, e.toString());
            return null;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    Optional<String> unitOfUser(String username) {
        return store.unitOfUser(username);
    }
}
