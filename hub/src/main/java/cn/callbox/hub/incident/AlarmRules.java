package cn.callbox.hub.incident;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the hub takes presses of panic buttons ({@code callbox.alarms.*}).
 * <p>
 * A press at a box whose incident is still open attaches to that incident: it is counted and logged, and nobody is
 * alerted again. A box that raised {@code maxIncidentsPerBoxPerMinute} incidents within the last minute (pressed,
 * closed, pressed again...) attaches further presses to its newest incident too, so that a stuck button or a prankster
 * cannot send the units out again and again. A reported press time later than the hub's clock plus {@code clockSkew},
 * or older than {@code maxPressAge}, is implausible (a box without time sync, a corrupt outbox): the press is recorded
 * with the hub's time, and the incident carries a warning naming the reported time.
 *
 * @param maxIncidentsPerBoxPerMinute new incidents one box may raise within a minute (1..20)
 * @param clockSkew how far a box's clock may run ahead of the hub's
 * @param maxPressAge how old a press may be when it reaches the hub (a box's outbox sends its backlog when it is back)
 */
@Validated
@ConfigurationProperties("callbox.alarms")
public record AlarmRules(
        @DefaultValue("3") @Min(1) @Max(20) int maxIncidentsPerBoxPerMinute,
        @DefaultValue("2m") @NotNull Duration clockSkew,
        @DefaultValue("7d") @NotNull Duration maxPressAge) {

    /** The defaults, for tests and wiring without Spring. */
    public static AlarmRules defaults() {
        return new AlarmRules(3, Duration.ofMinutes(2), Duration.ofDays(7));
    }
}
