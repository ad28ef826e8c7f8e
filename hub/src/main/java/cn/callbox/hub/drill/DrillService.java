package cn.callbox.hub.drill;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.UnknownUnitException;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.RandomIds;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * Readiness drills (拉动测试): the year's plan of surprise drills ({@link DrillPlanner}), starting drills now or as
 * planned, their scores from the drill incidents ({@link DrillScoring}), coverage against the township rules
 * ({@link DrillCoverage}) and the reports ({@link DrillReports}).
 * <p>
 * Every start is audited ({@code drill-start}) and published to the console (event {@code drill}, the drill JSON, to
 * township roles and the drilled unit's leader); every plan run is audited ({@code drill-plan}) and published as
 * {@code drill-plan} to township roles only (planned dates are a surprise for the units).
 * <p>
 * Thread-safe: plan runs and starts are serialised on one lock, so a plan entry runs at most once even when the
 * auto-start and a person start it together. Scores are computed on every read from the incident's current state.
 */
final class DrillService {

    private static final Logger LOG = LoggerFactory.getLogger(DrillService.class);

    /** Actor of the hub's own drill starts. */
    static final String SYSTEM = "system";

    /** How many drills {@link #list()} returns at most. */
    static final int LIST_LIMIT = 500;

    /** The auto-start skips planned drills more than this late (the hub was down): they count as missed. */
    static final Duration AUTO_START_GRACE = Duration.ofHours(1);

    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd")
            .withZone(DrillPlanner.ZONE);

    private final JdbcDrillStore store;
    private final DrillLauncher launcher;
    private final TownshipDirectory directory;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final DrillScoring scoring;
    private final Clock clock;
    private final Random random;
    private final DrillPlanner planner;
    private final Object lock = new Object();

    DrillService(JdbcDrillStore store, DrillLauncher launcher, TownshipDirectory directory, AuditTrail audit,
            ConsoleFeed feed, DrillScoring scoring, Clock clock, Random random) {
        this.store = Objects.requireNonNull(store, "store");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.planner = new DrillPlanner(random);
    }

    DrillService(JdbcDrillStore store, DrillLauncher launcher, TownshipDirectory directory, AuditTrail audit,
            ConsoleFeed feed, Clock clock) {
        this(store, launcher, directory, audit, feed, new DrillScoring(DrillScoring.Targets.DEFAULTS), clock,
                new SecureRandom());
    }

    // ------------------------------------------------------------------ errors

    /** An unknown drill, plan entry or unit (REST: 404). */
    static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    /** A request the drill rules refuse (REST: 422). */
    static final class InvalidException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidException(String message) {
            super(message);
        }
    }

    /** A plan entry that ran already (REST: 409). */
    static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ JSON

    /** A drill and its score: the body of {@code GET /api/drills/{id}}. */
    record DrillView(String id, String unit, String incidentId, String startedAt, String startedBy, String planId,
            String state, Long firstAckSeconds, Long quorumSeconds, Long lockerOpenedSeconds, Long arrivalSeconds,
            int score, boolean passed) {
    }

    /** A plan entry: month yyyy-MM, plannedAt ISO-8601 UTC, drillId null until it ran. */
    record PlanEntryView(String id, String unit, String month, String plannedAt, String drillId) {

        static PlanEntryView of(PlanEntry e) {
            return new PlanEntryView(e.id(), e.unitId(), e.month().toString(), e.plannedAt().toString(), e.drillId());
        }
    }

    /** Payload of the {@code drill-plan} console event. */
    record PlanChanged(int year, int planned) {
    }

    // ------------------------------------------------------------------ plan

    /**
     * (Re)draws the year's plan from the current month on (the current year) or for the whole year (a later year):
     * entries not run yet in those months are replaced; earlier months and entries that ran stay.
     *
     * @param perMonth at least {@value DrillPlanner#TOWNSHIP_MINIMUM_PER_MONTH}
     * @return the year's whole plan
     * @throws InvalidException for a past year or one after next, a perMonth below the township minimum or above
     *         100, or a township without units
     */
    List<PlanEntryView> plan(int year, int perMonth, String actor) {
        Instant now = clock.instant();
        YearMonth current = YearMonth.from(now.atZone(DrillPlanner.ZONE));
        if (year < current.getYear() || year > current.getYear() + 1) {
            throw new InvalidException("'year' must be " + current.getYear() + " or " + (current.getYear() + 1)
                    + ": months that have passed are not planned again");
        }
        if (perMonth < DrillPlanner.TOWNSHIP_MINIMUM_PER_MONTH || perMonth > 100) {
            throw new InvalidException("'perMonth' must be between " + DrillPlanner.TOWNSHIP_MINIMUM_PER_MONTH
                    + " (the township minimum) and 100");
        }
        List<UnitInfo> units = directory.units();
        if (units.isEmpty()) {
            throw new InvalidException("the township has no units to drill");
        }
        synchronized (lock) {
            Instant yearStart = LocalDate.of(year, 1, 1).atStartOfDay(DrillPlanner.ZONE).toInstant();
            Instant yearEnd = LocalDate.of(year + 1, 1, 1).atStartOfDay(DrillPlanner.ZONE).toInstant();
            List<DrillPlanner.Done> done = store.drills(yearStart, yearEnd).stream()
                    .map(d -> new DrillPlanner.Done(d.unitId(), d.startedAt())).toList();
            Map<String, Instant> last = new HashMap<>();
            store.lastDrilled().forEach((unit, at) -> {
                if (at.isBefore(yearStart)) {
                    last.put(unit, at);
                }
            });
            for (PlanEntry pending : store.pendingBefore(yearStart)) {
                if (!pending.plannedAt().isBefore(now)) {
                    last.merge(pending.unitId(), pending.plannedAt(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            List<DrillPlanner.Planned> drawn = planner.plan(year, perMonth, units.stream().map(UnitInfo::id).toList(),
                    done, last, now);
            List<PlanEntry> entries = new ArrayList<>();
            for (DrillPlanner.Planned p : drawn) {
                entries.add(new PlanEntry(planId(year), p.unitId(), p.month(), p.at(), null));
            }
            int fromMonth = year == current.getYear() ? current.getMonthValue() : 1;
            store.replacePending(year, fromMonth, entries, actor, now);
            audit.record(actor, "drill-plan", String.valueOf(year), "perMonth " + perMonth + ": " + entries.size()
                    + " drills planned from " + YearMonth.of(year, fromMonth));
            LOG.info("Drill plan {} drawn by {}: {} drills from {} (at least {} units a month)", year, actor,
                    entries.size(), YearMonth.of(year, fromMonth), perMonth);
            feed.publishForUnits("drill-plan", new PlanChanged(year, entries.size()), List.of());
            return planEntries(year);
        }
    }

    List<PlanEntryView> planEntries(int year) {
        return store.plan(year).stream().map(PlanEntryView::of).toList();
    }

    // ------------------------------------------------------------------ start

    /**
     * Starts a drill now: of the unit, or of a plan entry's unit (then the entry is marked as run).
     *
     * @param unitId may be null when {@code planId} is given; must match the entry's unit otherwise
     * @param planId may be null
     * @throws NotFoundException for an unknown unit or plan entry
     * @throws ConflictException when the plan entry ran already
     * @throws InvalidException when neither is given or they disagree
     */
    DrillView start(String unitId, String planId, String actor) {
        synchronized (lock) {
            String unit = unitId;
            if (planId != null) {
                PlanEntry entry = store.entry(planId)
                        .orElseThrow(() -> new NotFoundException("no planned drill " + planId));
                if (entry.ran()) {
                    throw new ConflictException("planned drill " + planId + " ran already as " + entry.drillId());
                }
                if (unit != null && !unit.equals(entry.unitId())) {
                    throw new InvalidException("planned drill " + planId + " is of unit " + entry.unitId() + ", not "
                            + unit);
                }
                unit = entry.unitId();
            }
            if (unit == null) {
                throw new InvalidException("give the 'unit' to drill or the 'planId' of a planned drill");
            }
            String drilled = unit;
            if (directory.unit(drilled).isEmpty()) {
                throw new NotFoundException("unknown unit " + drilled);
            }
            IncidentSnapshot incident;
            try {
                incident = launcher.start(drilled, actor);
            } catch (UnknownUnitException e) {
                throw new NotFoundException("unknown unit " + drilled);
            }
            Instant now = clock.instant();
            Drill drill = new Drill(drillId(now), drilled, incident.id(), now, actor, planId);
            if (!store.insert(drill)) {
                // only when the entry ran meanwhile on another hub instance: the incident is raised all the same
                LOG.warn("Planned drill {} ran meanwhile elsewhere; recording drill {} without it", planId,
                        drill.id());
                drill = new Drill(drill.id(), drilled, incident.id(), now, actor, null);
                store.insert(drill);
            }
            audit.record(actor, "drill-start", drilled, "drill " + drill.id() + ", incident " + incident.id()
                    + (drill.planId() == null ? "" : ", planned " + drill.planId()));
            LOG.info("Drill {} of unit {} started by {} (incident {})", drill.id(), drilled, actor, incident.id());
            DrillView view = view(drill, incident);
            feed.publishForUnits("drill", view, List.of(drilled));
            return view;
        }
    }

    /**
     * Starts the planned drills whose time has come (at most {@link #AUTO_START_GRACE} ago), as {@code system}. Run
     * by the auto-start ticker when {@code callbox.drills.auto-start=true}.
     *
     * @return how many drills started
     */
    int startDue() {
        Instant now = clock.instant();
        int started = 0;
        for (PlanEntry entry : store.pendingBefore(now.plusNanos(1))) {
            if (entry.plannedAt().isBefore(now.minus(AUTO_START_GRACE))) {
                continue;
            }
            try {
                start(null, entry.id(), SYSTEM);
                started++;
            } catch (RuntimeException e) {
                LOG.error("Planned drill {} of unit {} could not start", entry.id(), entry.unitId(), e);
            }
        }
        return started;
    }

    // ------------------------------------------------------------------ reads

    /** The newest drills first, at most {@value #LIST_LIMIT}, with their scores. */
    List<DrillView> list() {
        return store.latest(LIST_LIMIT).stream().map(this::view).toList();
    }

    /** @throws NotFoundException for an unknown drill */
    DrillView find(String id) {
        return store.drill(id).map(this::view).orElseThrow(() -> new NotFoundException("no drill " + id));
    }

    DrillCoverage.Coverage coverage(int year) {
        return DrillCoverage.of(year, directory.units(), drillsOf(year), store.plan(year), clock.instant());
    }

    DrillReports.Reports reports(int year) {
        List<DrillReports.Scored> scored = new ArrayList<>();
        for (Drill d : drillsOf(year)) {
            scored.add(new DrillReports.Scored(d, result(d, launcher.incident(d.incidentId()).orElse(null))));
        }
        return DrillReports.of(year, directory.units(), scored);
    }

    /** The current year in the township. */
    int currentYear() {
        return clock.instant().atZone(DrillPlanner.ZONE).getYear();
    }

    private List<Drill> drillsOf(int year) {
        Instant from = LocalDate.of(year, 1, 1).atStartOfDay(DrillPlanner.ZONE).toInstant();
        Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(DrillPlanner.ZONE).toInstant();
        return store.drills(from, to);
    }

    private DrillView view(Drill drill) {
        return view(drill, launcher.incident(drill.incidentId()).orElse(null));
    }

    private DrillView view(Drill drill, IncidentSnapshot incident) {
        DrillScoring.Result r = result(drill, incident);
        return new DrillView(drill.id(), drill.unitId(), drill.incidentId(), drill.startedAt().toString(),
                drill.startedBy(), drill.planId(), r.state(), r.firstAckSeconds(), r.quorumSeconds(),
                r.lockerOpenedSeconds(), r.arrivalSeconds(), r.score(), r.passed());
    }

    private DrillScoring.Result result(Drill drill, IncidentSnapshot incident) {
        return scoring.score(drill, incident, leader(drill));
    }

    private String leader(Drill drill) {
        try {
            TownshipDirectory.DutyDay duty = directory.duty(drill.unitId(), DrillScoring.day(drill));
            return duty == null ? null : duty.leaderId();
        } catch (RuntimeException e) {
            LOG.warn("Duty of unit {} on the day of drill {} unknown: {}", drill.unitId(), drill.id(), e.toString());
            return null;
        }
    }

    private String drillId(Instant now) {
        return "DRL-" + ID_DATE.format(now) + "-" + RandomIds.base32(random, 6);
    }

    private String planId(int year) {
        return "DP-" + year + "-" + RandomIds.base32(random, 8);
    }
}
