package cn.callbox.hub.supervision;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.supervision.SelfTestCommand.Mode;

/**
 * The supervision sweep and the daily self-test schedule, both driven by the hub's {@link Clock}: {@link #tick()} runs
 * every {@code sweepInterval} on the ticker thread (tests call it after moving the clock).
 * <ul>
 * <li>Sweep: every online box not heard for {@code silenceBound} goes offline (status published, presence listeners
 * told, through {@link PresenceUpdates#offlineIfSilent}). A box heard again goes online again on its next message.
 * <li>Self-test: at {@code selfTestAt} local time each day every online box runs its silent self-test. A hub started
 * after that time waits for the next day; a day whose time passed while the hub was stopped is not caught up.
 * <li>Audible test: when {@code audibleTest} names days, at its daytime hour on those days every online box runs the
 * audible self-test (announces itself, then sounds the siren's test pattern); missed runs are not caught up either.
 * </ul>
 * Thread-safe (one ticker thread; the state is guarded by this object's monitor).
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

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
        List<String> silenced = presence.offlineIfSilent(now.minus(settings.silenceBound()));
        for (String endpoint : silenced) {
            LOG.warn("Call box {} is offline: nothing heard from it for {} s", endpoint,
                    settings.silenceBound().toSeconds());
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
