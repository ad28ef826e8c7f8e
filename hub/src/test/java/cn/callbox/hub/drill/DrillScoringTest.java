package cn.callbox.hub.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.drill.DrillScoring.Result;
import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.mqtt.IncidentSnapshot.AlertedUnit;
import cn.callbox.protocol.mqtt.IncidentSnapshot.LogLine;

/** Scores from hand-built drill incidents. */
class DrillScoringTest {

    static final Instant T0 = Instant.parse("2026-03-10T02:00:00Z");
    static final String UNIT = "unit-a";
    static final String LEADER = "unit-a-m1";

    final DrillScoring scoring = new DrillScoring(DrillScoring.Targets.DEFAULTS);
    final Drill drill = new Drill("DRL-1", UNIT, "INC-1", T0, "disp", null);

    /** Builds a drill incident alerted at T0 with log lines added by the tests. */
    static final class Incident {
        final List<LogLine> log = new ArrayList<>();
        String state = "raised";

        Incident() {
            log.add(line(0, "raised", null, null));
            log.add(line(0, "alerted", UNIT, null));
        }

        Incident ack(long seconds, String member) {
            log.add(line(seconds, "acknowledged", UNIT, member));
            return this;
        }

        Incident add(long seconds, String type, String unit) {
            log.add(line(seconds, type, unit, null));
            return this;
        }

        Incident state(String s) {
            state = s;
            return this;
        }

        IncidentSnapshot snapshot() {
            return new IncidentSnapshot("INC-1", "drill", state, "box-1", 1, "集市", "村", 30.8, 108.4, T0.toString(),
                    T0.toString(), false, false, false, null,
                    List.of(new AlertedUnit(UNIT, "primary", T0.toString(), null, null, false, 0, "drill")),
                    List.copyOf(log), 0, List.of(), List.of());
        }

        static LogLine line(long seconds, String type, String unit, String member) {
            return new LogLine(T0.plusSeconds(seconds).toString(), type, unit, member, type);
        }
    }

    Result score(Incident incident) {
        return scoring.score(drill, incident.snapshot(), LEADER);
    }

    @Test
    void every_step_within_target_scores_100_and_passes() {
        Result r = score(new Incident().ack(20, "unit-a-m2").ack(40, LEADER).ack(90, "unit-a-m3")
                .add(250, "muster", UNIT).add(800, "on-scene", UNIT).add(1000, "resolved", null).state("resolved"));

        assertThat(r.firstAckSeconds()).isEqualTo(20);
        assertThat(r.quorumSeconds()).isEqualTo(90);
        assertThat(r.lockerOpenedSeconds()).isEqualTo(250);
        assertThat(r.arrivalSeconds()).isEqualTo(800);
        assertThat(r.score()).isEqualTo(100);
        assertThat(r.passed()).isTrue();
        assertThat(r.state()).isEqualTo("completed");
    }

    @Test
    void quorum_needs_the_duty_leader() {
        Result r = score(new Incident().ack(10, "unit-a-m2").ack(20, "unit-a-m3").ack(30, "unit-a-m4")
                .add(100, "muster", UNIT));

        assertThat(r.firstAckSeconds()).isEqualTo(10);
        assertThat(r.quorumSeconds()).isNull();
        assertThat(r.passed()).isFalse();
        assertThat(r.score()).isEqualTo(50); // first ack + locker
        assertThat(r.state()).isEqualTo("running");
    }

    @Test
    void quorum_is_the_last_of_leader_and_two_others_and_a_repeated_ack_counts_once() {
        Result r = score(new Incident().ack(10, LEADER).ack(15, "unit-a-m2").ack(50, "unit-a-m2")
                .ack(120, "unit-a-m3").ack(130, "unit-a-m4"));
        assertThat(r.quorumSeconds()).isEqualTo(120);

        Result leaderLast = score(new Incident().ack(10, "unit-a-m2").ack(15, "unit-a-m3").ack(200, LEADER));
        assertThat(leaderLast.quorumSeconds()).isEqualTo(200);

        Result noOthers = score(new Incident().ack(10, LEADER).ack(15, "unit-a-m2"));
        assertThat(noOthers.quorumSeconds()).isNull();

        Result noLeaderPlanned = scoring.score(drill, new Incident().ack(10, LEADER).ack(15, "unit-a-m2")
                .ack(20, "unit-a-m3").snapshot(), null);
        assertThat(noLeaderPlanned.quorumSeconds()).isNull();
    }

    @Test
    void each_missing_step_gives_null_and_no_points() {
        Result nothing = score(new Incident());
        assertThat(nothing.firstAckSeconds()).isNull();
        assertThat(nothing.quorumSeconds()).isNull();
        assertThat(nothing.lockerOpenedSeconds()).isNull();
        assertThat(nothing.arrivalSeconds()).isNull();
        assertThat(nothing.score()).isZero();
        assertThat(nothing.passed()).isFalse();

        Result noLocker = score(new Incident().ack(10, LEADER).ack(20, "m2").ack(30, "m3").add(500, "on-scene", null));
        assertThat(noLocker.lockerOpenedSeconds()).isNull();
        assertThat(noLocker.arrivalSeconds()).isEqualTo(500);
        assertThat(noLocker.score()).isEqualTo(75);
        assertThat(noLocker.passed()).isFalse();

        Result noArrival = score(new Incident().ack(10, LEADER).ack(20, "m2").ack(30, "m3").add(60, "muster", UNIT));
        assertThat(noArrival.arrivalSeconds()).isNull();
        assertThat(noArrival.score()).isEqualTo(75);
        assertThat(noArrival.passed()).isTrue();
    }

    @Test
    void late_steps_lose_points_linearly_and_fail() {
        // first ack 90 s (target 60: 12.5 -> 13), quorum 270 s (target 180: 12.5 -> 13), locker 600 s (0), arrival
        // 900 s (25)
        Result r = score(new Incident().ack(90, LEADER).ack(200, "m2").ack(270, "m3").add(600, "muster", UNIT)
                .add(900, "on-scene", null));

        assertThat(r.score()).isEqualTo(13 + 13 + 0 + 25);
        assertThat(r.passed()).isFalse();
        assertThat(DrillScoring.points(120L, 60)).isZero();
        assertThat(DrillScoring.points(60L, 60)).isEqualTo(25);
        assertThat(DrillScoring.points(null, 60)).isZero();
    }

    @Test
    void entries_of_other_units_do_not_count_and_the_first_muster_is_taken() {
        Result r = score(new Incident().add(30, "muster", "unit-b").add(100, "muster", UNIT).add(150, "muster", UNIT));

        assertThat(r.lockerOpenedSeconds()).isEqualTo(100);
    }

    @Test
    void a_missing_incident_is_unknown_with_no_score() {
        Result r = scoring.score(drill, null, LEADER);

        assertThat(r.state()).isEqualTo("unknown");
        assertThat(r.score()).isZero();
        assertThat(r.passed()).isFalse();
    }
}
