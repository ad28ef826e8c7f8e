package cn.callbox.hub.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.training.TrainingCoverage.Gap;
import cn.callbox.hub.training.TrainingCoverage.Held;
import cn.callbox.hub.training.TrainingCoverage.QuarterState;
import cn.callbox.hub.training.TrainingCoverage.UnitCoverage;

class TrainingCoverageTest {

    private static final LocalDate MID_MAY = LocalDate.of(2026, 5, 15);

    @Test
    void a_quarter_is_done_with_both_kinds_and_a_gap_once_it_ended_without_one() {
        List<Held> held = List.of(
                new Held("u1", LocalDate.of(2026, 1, 10), TrainingKind.ONLINE),
                new Held("u1", LocalDate.of(2026, 3, 31), TrainingKind.OFFLINE),
                new Held("u2", LocalDate.of(2026, 2, 1), TrainingKind.OFFLINE),
                new Held("u2", LocalDate.of(2026, 4, 1), TrainingKind.ONLINE));

        List<UnitCoverage> coverage = TrainingCoverage.of(2026, List.of("u1", "u2", "u3"), held, MID_MAY);

        UnitCoverage u1 = coverage.get(0);
        assertThat(u1.quarters()).extracting(q -> q.state()).containsExactly(QuarterState.DONE, QuarterState.DUE,
                QuarterState.FUTURE, QuarterState.FUTURE);
        assertThat(u1.gaps()).isEmpty();

        UnitCoverage u2 = coverage.get(1);
        assertThat(u2.quarters().get(0).offline()).isTrue();
        assertThat(u2.quarters().get(0).online()).isFalse();
        assertThat(u2.quarters().get(0).state()).isEqualTo(QuarterState.GAP);
        assertThat(u2.quarters().get(1).online()).as("1 April is in Q2").isTrue();
        assertThat(u2.gaps()).containsExactly(new Gap(1, TrainingKind.ONLINE));

        UnitCoverage u3 = coverage.get(2);
        assertThat(u3.unitId()).isEqualTo("u3");
        assertThat(u3.gaps()).containsExactly(new Gap(1, TrainingKind.ONLINE), new Gap(1, TrainingKind.OFFLINE));
    }

    @Test
    void quarters_span_their_calendar_months_and_the_last_day_still_counts_as_under_way() {
        List<UnitCoverage> coverage = TrainingCoverage.of(2026, List.of("u1"), List.of(), LocalDate.of(2026, 3, 31));

        var quarters = coverage.get(0).quarters();
        assertThat(quarters).extracting(q -> q.from().toString() + ".." + q.to()).containsExactly(
                "2026-01-01..2026-03-31", "2026-04-01..2026-06-30", "2026-07-01..2026-09-30", "2026-10-01..2026-12-31");
        assertThat(quarters.get(0).state()).isEqualTo(QuarterState.DUE);
        assertThat(coverage.get(0).gaps()).isEmpty();
    }

    @Test
    void a_past_year_is_judged_whole_and_other_years_trainings_do_not_count() {
        List<Held> held = List.of(new Held("u1", LocalDate.of(2025, 12, 31), TrainingKind.ONLINE),
                new Held("u1", LocalDate.of(2025, 11, 2), TrainingKind.OFFLINE),
                new Held("u1", LocalDate.of(2026, 1, 2), TrainingKind.OFFLINE));

        UnitCoverage u1 = TrainingCoverage.of(2025, List.of("u1"), held, MID_MAY).get(0);

        assertThat(u1.quarters().get(3).state()).isEqualTo(QuarterState.DONE);
        assertThat(u1.gaps()).hasSize(6).doesNotContain(new Gap(4, TrainingKind.ONLINE));
        assertThat(TrainingCoverage.of(2027, List.of("u1"), held, MID_MAY).get(0).quarters())
                .allMatch(q -> q.state() == QuarterState.FUTURE);
    }
}
