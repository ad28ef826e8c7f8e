package cn.callbox.hub.drill;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.mqtt.IncidentSnapshot.AlertedUnit;
import cn.callbox.protocol.mqtt.IncidentSnapshot.LogLine;

/**
 * Scores a drill from its incident's log. Four steps, each timed in seconds from the unit's alert (the drill's start
 * when the incident shows no alert time):
 * <ol>
 * <li><b>first ack</b>: the first {@code acknowledged} entry of the unit;</li>
 * <li><b>quorum</b>: the day's duty leader and two other members of the unit have acknowledged (the time of the last
 * of those three); no quorum without the duty leader;</li>
 * <li><b>locker</b>: the first {@code muster} entry of the unit (its equipment locker opened);</li>
 * <li><b>arrival</b>: the first {@code on-scene} report.</li>
 * </ol>
 * Each step is worth {@value #STEP_POINTS} points: all of them within its target, none at twice the target or later,
 * linearly in between (rounded); a step that did not happen gets no points and null seconds. The score is their sum,
 * 0 to 100. A drill is <b>passed</b> when the quorum and the locker were both within target ("can be pulled out and
 * can fight"). Targets: {@link Targets#DEFAULTS}.
 */
final class DrillScoring {

    /** Points of one step within target. */
    static final int STEP_POINTS = 25;

    /** Incident states that close an incident. */
    private static final Set<String> CLOSED_STATES = Set.of("resolved", "false-alarm", "closed");

    /**
     * Target times of the four steps, in seconds from the alert.
     *
     * @param firstAck first acknowledgement
     * @param quorum duty leader + 2 members acknowledged
     * @param locker the unit's locker opened (kit taken)
     * @param arrival on-scene report
     */
    record Targets(long firstAck, long quorum, long locker, long arrival) {

        /** The township's targets: 60 s, 180 s, 300 s and 900 s. */
        static final Targets DEFAULTS = new Targets(60, 180, 300, 900);
    }

    /**
     * A drill's result; seconds are null for a step that did not happen (yet).
     *
     * @param state {@code running} while the incident is open, {@code completed} once it is closed, {@code unknown}
     *        when the incident cannot be found
     */
    record Result(String state, Long firstAckSeconds, Long quorumSeconds, Long lockerOpenedSeconds,
            Long arrivalSeconds, int score, boolean passed) {
    }

    private final Targets targets;

    DrillScoring(Targets targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    Targets targets() {
        return targets;
    }

    /**
     * @param incident the drill's incident; null when it cannot be found
     * @param leaderId the unit's duty leader on the drill's day; null when none was planned (no quorum then)
     */
    Result score(Drill drill, IncidentSnapshot incident, String leaderId) {
        if (incident == null) {
            return new Result("unknown", null, null, null, null, 0, false);
        }
        String unit = drill.unitId();
        Instant from = alertedAt(incident, unit).orElse(drill.startedAt());
        List<LogLine> log = incident.log() == null ? List.of() : incident.log();

        Map<String, Instant> acks = new LinkedHashMap<>(); // member -> first ack, in log order
        Instant locker = null;
        Instant arrival = null;
        for (LogLine line : log) {
            Instant at = instant(line.at());
            if (at == null) {
                continue;
            }
            switch (String.valueOf(line.type())) {
                case "acknowledged" -> {
                    if (unit.equals(line.unit()) && line.member() != null) {
                        acks.merge(line.member(), at, (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
                case "muster" -> {
                    if (unit.equals(line.unit()) && (locker == null || at.isBefore(locker))) {
                        locker = at;
                    }
                }
                case "on-scene" -> {
                    if (arrival == null || at.isBefore(arrival)) {
                        arrival = at;
                    }
                }
                default -> {
                    // other entries do not count
                }
            }
        }
        Instant firstAck = acks.values().stream().min(Instant::compareTo).orElse(null);
        Instant quorum = quorum(acks, leaderId);

        Long firstAckSeconds = seconds(from, firstAck);
        Long quorumSeconds = seconds(from, quorum);
        Long lockerSeconds = seconds(from, locker);
        Long arrivalSeconds = seconds(from, arrival);
        int score = points(firstAckSeconds, targets.firstAck()) + points(quorumSeconds, targets.quorum())
                + points(lockerSeconds, targets.locker()) + points(arrivalSeconds, targets.arrival());
        boolean passed = quorumSeconds != null && quorumSeconds <= targets.quorum() && lockerSeconds != null
                && lockerSeconds <= targets.locker();
        String state = CLOSED_STATES.contains(incident.state()) ? "completed" : "running";
        return new Result(state, firstAckSeconds, quorumSeconds, lockerSeconds, arrivalSeconds, score, passed);
    }

    /** The township day of a drill, for the duty roster. */
    static LocalDate day(Drill drill) {
        return drill.startedAt().atZone(DrillPlanner.ZONE).toLocalDate();
    }

    /** When the leader and the second other member had acknowledged; null without the leader or two others. */
    private static Instant quorum(Map<String, Instant> acks, String leaderId) {
        if (leaderId == null || !acks.containsKey(leaderId)) {
            return null;
        }
        List<Instant> others = new ArrayList<>();
        acks.forEach((member, at) -> {
            if (!member.equals(leaderId)) {
                others.add(at);
            }
        });
        if (others.size() < 2) {
            return null;
        }
        others.sort(null);
        Instant second = others.get(1);
        Instant leader = acks.get(leaderId);
        return leader.isAfter(second) ? leader : second;
    }

    /** Points of one step: see the class comment. */
    static int points(Long seconds, long target) {
        if (seconds == null) {
            return 0;
        }
        if (seconds <= target) {
            return STEP_POINTS;
        }
        if (seconds >= 2 * target) {
            return 0;
        }
        return (int) Math.round(STEP_POINTS * (2.0 * target - seconds) / target);
    }

    private static Optional<Instant> alertedAt(IncidentSnapshot incident, String unit) {
        if (incident.units() == null) {
            return Optional.empty();
        }
        return incident.units().stream().filter(u -> unit.equals(u.unit())).map(AlertedUnit::alertedAt)
                .map(DrillScoring::instant).filter(Objects::nonNull).findFirst();
    }

    private static Long seconds(Instant from, Instant to) {
        return to == null ? null : Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
