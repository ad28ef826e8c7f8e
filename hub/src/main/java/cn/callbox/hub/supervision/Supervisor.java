package cn.callbox.hub.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.Liveness;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.supervision.SelfTestCommand.Mode;

/**
 * The supervision sweep and the daily self-test schedule, both driven by the hub's {@link Clock}: {@link #tick()} runs
 * every {@code sweepInterval} on the ticker thread (tests call it after moving the clock).
 * <ul>
 * <li>Sweep: every online box not heard for its own bound ({@link #silenceBound}) goes offline (status published,
 * presence listeners told, through {@link PresenceUpdates#offlineIfSilent}). A box heard again goes online again on its
 * next message. An offline box silent for {@code offlineGrace} is told to the listeners as lasting (its unit gets a
 * task then, not at a short dropout).
 * <li>Self-test: at {@code selfTestAt} local time each day every online box runs its silent self-test. A hub started
 * after that time waits for the next day; a day whose time passed while the hub was stopped is not caught up.
 * <li>Audible test: when {@code audibleTest} names days, at its daytime hour on those days every online box runs the
 * audible self-test (announces itself, then sounds the siren's test pattern); missed runs are not caught up either.
 * </ul>
 * Thread-safe (one ticker thread; the state is guarded by this object's monitor).
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    /** How long past its lifetime a standard client may be silent: an UPDATE sent late over a slow link. */
    static final Duration LIFETIME_MARGIN = Duration.ofSeconds(15);

    private final PresenceUpdates presence;
    private final SelfTests selfTests;
    private final SupervisionProperties settings;
    private final Clock clock;
    private Instant nextSelfTest;
    /** Null while no audible test is scheduled. */
    private Instant nextAudibleTest;

    Supervisor(PresenceUpdates presence, SelfTests selfTests, SupervisionProperties settings, Clock clock) {
        this.presence = Objects.requireNonNull(presence, "presence");
        this.selfTests = Objects.requireNonNull(selfTests, "selfTests");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextSelfTest = nextSelfTestAfter(clock.instant());
        this.nextAudibleTest = nextAudibleTestAfter(clock.instant());
    }

    /** One sweep, and the daily self-tests when their time has come. */
    synchronized void tick() {
        Instant now = clock.instant();
        List<String> silenced = presence.offlineIfSilent(now, this::silenceBound);
        for (String endpoint : silenced) {
            LOG.warn("Call box {} is offline: nothing heard from it within its bound", endpoint);
        }
        for (String endpoint : presence.offlineLasting(now.minus(settings.offlineGrace()))) {
            LOG.warn("Call box {} is still offline after {} s: its unit is told", endpoint,
                    settings.offlineGrace().toSeconds());
        }
        if (!now.isBefore(nextSelfTest)) {
            nextSelfTest = nextSelfTestAfter(now);
            int started = selfTests.runAllOnline(Mode.SILENT);
            LOG.info("Daily silent self-test started on {} call boxes; next at {}", started, nextSelfTest);
        }
        if (nextAudibleTest != null && !now.isBefore(nextAudibleTest)) {
            nextAudibleTest = nextAudibleTestAfter(now);
            int started = selfTests.runAllOnline(Mode.AUDIBLE);
            LOG.info("Scheduled audible self-test started on {} call boxes; next at {}", started, nextAudibleTest);
        }
    }

    /** When the next audible test is due; null when none is scheduled. */
    synchronized Instant nextAudibleTest() {
        return nextAudibleTest;
    }

    private Instant nextAudibleTestAfter(Instant now) {
        SupervisionProperties.AudibleTest schedule = settings.audibleTest();
        if (!schedule.enabled()) {
            return null;
        }
        LocalDate today = now.atZone(settings.zone()).toLocalDate();
        for (int day = 0; day <= 7; day++) {
            LocalDate date = today.plusDays(day);
            Instant at = date.atTime(schedule.at()).atZone(settings.zone()).toInstant();
            if (schedule.days().contains(date.getDayOfWeek()) && at.isAfter(now)) {
                return at;
            }
        }
        throw new IllegalStateException("no audible test day within a week: " + schedule.days());
    }

    /**
     * How long a box may be silent before it is shown offline: one of our boxes (it announced a heartbeat) by the
     * silence bound, or two heartbeats and 5 s when it announced a longer one; any other client by its lifetime plus
     * {@link #LIFETIME_MARGIN}; a box whose registration said nothing by the silence bound.
     */
    Duration silenceBound(Liveness liveness) {
        if (liveness.heartbeat() != null) {
            Duration twoBeats = liveness.heartbeat().multipliedBy(2).plusSeconds(5);
            return twoBeats.compareTo(settings.silenceBound()) > 0 ? twoBeats : settings.silenceBound();
        }
        if (liveness.lifetime() != null) {
            Duration lifetime = liveness.lifetime().plus(LIFETIME_MARGIN);
            return lifetime.compareTo(settings.silenceBound()) > 0 ? lifetime : settings.silenceBound();
        }
        return settings.silenceBound();
    }

    /** When the next daily self-test is due. */
    synchronized Instant nextSelfTest() {
        return nextSelfTest;
    }

    private Instant nextSelfTestAfter(Instant now) {
        ZonedDateTime local = now.atZone(settings.zone());
        ZonedDateTime today = local.toLocalDate().atTime(settings.selfTestAt()).atZone(settings.zone());
        return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
    }
}
