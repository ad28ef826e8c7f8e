package cn.callbox.hub.supervision;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Settings of call-box supervision ({@code callbox.supervision.*}).
 * <p>
 * Our boxes send a registration UPDATE every 20 s as a heartbeat and announce it in their REGISTER (their registration
 * lifetime stays 300 s). Such a box is shown offline when nothing was heard from it for {@code silenceBound} (or two
 * heartbeats and 5 s, when it announced a longer heartbeat): 45 s is two missed heartbeats plus a margin, so one lost
 * UPDATE (which CoAP retransmits anyway) never marks a box offline. With a sweep every {@code sweepInterval} a box
 * that stops is shown offline 45-46 s after it was last heard, so 26-46 s after it stopped (its last heartbeat came
 * 0-20 s before): within the 60 s the command centre is promised. Any other LwM2M client is offline only when its
 * registration lifetime has run out plus {@link Supervisor#LIFETIME_MARGIN} (a standard client with a 300 s lifetime
 * updates every 207 s).
 * <p>
 * Offline shows on the console and the status topic at once; the box's unit gets a {@code box-offline} task only once
 * the box has been silent for {@code offlineGrace}, so that a 4G dropout of a minute or two is no finding.
 *
 * @param silenceBound how long one of our boxes may be silent before it is shown offline (10 s .. 10 min)
 * @param sweepInterval how often the silence is checked
 * @param selfTestAt local time of the daily self-test of every online box; it is silent (boxes measure their parts,
 *        nothing sounds), so the night is fine
 * @param zone the township's time zone, for {@code selfTestAt} and the audible test
 * @param audibleTest the audible self-test's schedule; off by default
 * @param offlineGrace how long a box must have been silent before its unit is told (0 .. 1 day)
 */
@Validated
@ConfigurationProperties("callbox.supervision")
public record SupervisionProperties(
        @DefaultValue("45s") @NotNull Duration silenceBound,
        @DefaultValue("1s") @NotNull Duration sweepInterval,
        @DefaultValue("03:00") @NotNull LocalTime selfTestAt,
        @DefaultValue("Asia/Shanghai") @NotNull ZoneId zone,
        @DefaultValue @NotNull AudibleTest audibleTest,
        @DefaultValue("5m") @NotNull Duration offlineGrace) {

    /** Earliest and latest local time of an audible test: never at night, when villagers sleep. */
    public static final LocalTime DAYTIME_FROM = LocalTime.of(8, 0);
    public static final LocalTime DAYTIME_TO = LocalTime.of(20, 0);

    /**
     * The audible self-test ({@code callbox.supervision.audible-test.*}): on the given days at the given local time
     * every online box announces a test and sounds its siren's test pattern, so that a township hears that its sirens
     * work (e.g. {@code days=SATURDAY}, {@code at=10:00}). Off while {@code days} is empty, the default.
     *
     * @param days the days of the week it runs on; empty: never
     * @param at local time, between {@link #DAYTIME_FROM} and {@link #DAYTIME_TO}
     */
    public record AudibleTest(@DefaultValue Set<DayOfWeek> days, @DefaultValue("10:00") @NotNull LocalTime at) {

        public static final AudibleTest OFF = new AudibleTest(Set.of(), LocalTime.of(10, 0));

        public AudibleTest {
            days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
            if (at != null && (at.isBefore(DAYTIME_FROM) || at.isAfter(DAYTIME_TO))) {
                throw new IllegalArgumentException("callbox.supervision.audible-test.at must be in the daytime, "
                        + DAYTIME_FROM + "-" + DAYTIME_TO + " (villagers sleep at night), not " + at);
            }
        }

        /** Whether it is scheduled at all. */
        public boolean enabled() {
            return !days.isEmpty();
        }
    }

    public SupervisionProperties {
        audibleTest = audibleTest == null ? AudibleTest.OFF : audibleTest;
        if (silenceBound != null && (silenceBound.compareTo(Duration.ofSeconds(10)) < 0
                || silenceBound.compareTo(Duration.ofMinutes(10)) > 0)) {
            throw new IllegalArgumentException(
                    "callbox.supervision.silence-bound must be between 10s and 10m, not " + silenceBound);
        }
        if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero()
                || sweepInterval.compareTo(Duration.ofSeconds(10)) > 0)) {
            throw new IllegalArgumentException(
                    "callbox.supervision.sweep-interval must be between 1ms and 10s, not " + sweepInterval);
        }
        if (offlineGrace != null && (offlineGrace.isNegative() || offlineGrace.compareTo(Duration.ofDays(1)) > 0)) {
            throw new IllegalArgumentException(
                    "callbox.supervision.offline-grace must be between 0s and 1d, not " + offlineGrace);
        }
    }

    /** The defaults, for tests and wiring without Spring's binder. */
    public static SupervisionProperties defaults() {
        return new SupervisionProperties(Duration.ofSeconds(45), Duration.ofSeconds(1), LocalTime.of(3, 0),
                ZoneId.of("Asia/Shanghai"), AudibleTest.OFF, Duration.ofMinutes(5));
    }

    /** These settings with the audible test's schedule replaced. */
    public SupervisionProperties withAudibleTest(AudibleTest schedule) {
        return new SupervisionProperties(silenceBound, sweepInterval, selfTestAt, zone, schedule, offlineGrace);
    }
}
