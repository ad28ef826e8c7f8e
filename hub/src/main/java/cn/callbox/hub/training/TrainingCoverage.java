package cn.callbox.hub.training;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which units trained in which quarter of a year (township plan §7.1: every quarter, online and offline), and the
 * gaps: kinds missing in quarters that have ended. Pure computation over the records it is given. Stateless.
 */
final class TrainingCoverage {

    private TrainingCoverage() {
    }

    /** A quarter's state for one unit. */
    enum QuarterState {
        /** Both kinds held. */
        DONE("done"),
        /** The quarter has ended with a kind missing. */
        GAP("gap"),
        /** The quarter is under way, a kind still missing. */
        DUE("due"),
        /** The quarter has not begun. */
        FUTURE("future");

        private final String wireName;

        QuarterState(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    /** @param unitId the unit trained; @param day the local date it was held on */
    record Held(String unitId, LocalDate day, TrainingKind kind) {
    }

    record Quarter(int quarter, LocalDate from, LocalDate to, boolean online, boolean offline, QuarterState state) {
    }

    record Gap(int quarter, TrainingKind kind) {
    }

    record UnitCoverage(String unitId, List<Quarter> quarters, List<Gap> gaps) {
    }

    /**
     * @param unitIds the units to report, in the order to report them
     * @param held trainings of any units and years (others are ignored)
     * @param today the township's local date: quarters ending before it are judged, later ones are due or future
     */
    static List<UnitCoverage> of(int year, List<String> unitIds, List<Held> held, LocalDate today) {
        Map<String, Map<Integer, Set<TrainingKind>>> done = new HashMap<>();
        for (Held h : held) {
            if (h.day().getYear() == year) {
                done.computeIfAbsent(h.unitId(), u -> new HashMap<>())
                        .computeIfAbsent(quarterOf(h.day()), q -> EnumSet.noneOf(TrainingKind.class)).add(h.kind());
            }
        }
        List<UnitCoverage> result = new ArrayList<>();
        for (String unitId : unitIds) {
            List<Quarter> quarters = new ArrayList<>();
            List<Gap> gaps = new ArrayList<>();
            for (int q = 1; q <= 4; q++) {
                LocalDate from = LocalDate.of(year, 3 * q - 2, 1);
                LocalDate to = from.plusMonths(3).minusDays(1);
                Set<TrainingKind> kinds = done.getOrDefault(unitId, Map.of()).getOrDefault(q,
                        EnumSet.noneOf(TrainingKind.class));
                boolean online = kinds.contains(TrainingKind.ONLINE);
                boolean offline = kinds.contains(TrainingKind.OFFLINE);
                QuarterState state;
                if (online && offline) {
                    state = QuarterState.DONE;
                } else if (to.isBefore(today)) {
                    state = QuarterState.GAP;
                    for (TrainingKind kind : TrainingKind.values()) {
                        if (!kinds.contains(kind)) {
                            gaps.add(new Gap(q, kind));
                        }
                    }
                } else if (from.isAfter(today)) {
                    state = QuarterState.FUTURE;
                } else {
                    state = QuarterState.DUE;
                }
                quarters.add(new Quarter(q, from, to, online, offline, state));
            }
            result.add(new UnitCoverage(unitId, List.copyOf(quarters), List.copyOf(gaps)));
        }
        return result;
    }

    /** 1..4. */
    static int quarterOf(LocalDate day) {
        return (day.getMonthValue() - 1) / 3 + 1;
    }
}
