package cn.callbox.hub.incident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.protocol.AlertRole;

/**
 * Who is alerted for an alarm, and who next when the primary unit does not answer: the "nearest and fastest"
 * principle (就近就快) and "one call, a hundred answers" (一呼百应) of DOMAIN.md as a pure function of the box, the
 * units and their readiness. Distances are measured from the pressing box to each unit's home point; ties are broken
 * by unit id so that plans are reproducible. Immutable and thread-safe.
 */
final class Dispatcher {

    private static final Comparator<Candidate> NEAREST_FIRST = Comparator.comparingDouble(Candidate::distanceKm)
            .thenComparing(c -> c.unit().id());

    private final int supportUnits;
    private final double supportRadiusKm;

    /**
     * @param supportUnits how many nearest other units are alerted beside the primary unit (0 or more)
     * @param supportRadiusKm how far from the box a support unit may be, in km
     */
    Dispatcher(int supportUnits, double supportRadiusKm) {
        if (supportUnits < 0 || supportRadiusKm < 0) {
            throw new IllegalArgumentException("supportUnits and supportRadiusKm must not be negative");
        }
        this.supportUnits = supportUnits;
        this.supportRadiusKm = supportRadiusKm;
    }

    /**
     * The first alert of an alarm, in order: the primary unit (responsible for the box's point; alerted even when not
     * ready), then up to {@code supportUnits} nearest other units within the radius, then, when the primary unit is not
     * ready, the nearest ready unit within the radius that is not in the plan yet.
     *
     * @param units every unit of the township
     * @param ready whether a unit is ready now; asked only about units the plan considers
     */
    List<DispatchStep> plan(CallBoxInfo box, List<UnitInfo> units, Predicate<String> ready) {
        List<DispatchStep> steps = new ArrayList<>();
        String primary = box.unitId();
        Optional<UnitInfo> primaryUnit = units.stream().filter(u -> u.id().equals(primary)).findFirst();
        double primaryDistance = primaryUnit.map(u -> distance(box, u)).orElse(0.0);
        steps.add(new DispatchStep(primary, AlertRole.PRIMARY, primaryDistance,
                "responsible for the point of " + box.endpoint()));

        List<Candidate> nearby = candidates(box, units, Set.of(primary)).stream()
                .filter(c -> c.distanceKm() <= supportRadiusKm).toList();
        Set<String> chosen = new HashSet<>(Set.of(primary));
        for (Candidate c : nearby.subList(0, Math.min(supportUnits, nearby.size()))) {
            steps.add(new DispatchStep(c.unit().id(), AlertRole.SUPPORT, c.distanceKm(),
                    "nearby unit, " + km(c.distanceKm())));
            chosen.add(c.unit().id());
        }
        if (!ready.test(primary)) {
            nearby.stream().filter(c -> !chosen.contains(c.unit().id())).filter(c -> ready.test(c.unit().id()))
                    .findFirst()
                    .ifPresent(c -> steps.add(new DispatchStep(c.unit().id(), AlertRole.SUPPORT, c.distanceKm(),
                            "primary unit " + primary + " not ready: nearest ready unit, " + km(c.distanceKm()))));
        }
        return List.copyOf(steps);
    }

    /**
     * The unit to alert when the primary unit has not acknowledged in time: the nearest unit not alerted yet, searched
     * within the radius first and at any distance when none is left there; within that range a ready unit is preferred
     * to a nearer one that is not ready. Empty when every unit has been alerted.
     *
     * @param alerted units already alerted for the incident
     */
    Optional<DispatchStep> escalation(CallBoxInfo box, List<UnitInfo> units, Set<String> alerted,
            Predicate<String> ready) {
        List<Candidate> left = candidates(box, units, alerted);
        List<Candidate> nearby = left.stream().filter(c -> c.distanceKm() <= supportRadiusKm).toList();
        List<Candidate> range = nearby.isEmpty() ? left : nearby;
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Candidate pick = range.stream().filter(c -> ready.test(c.unit().id())).findFirst().orElse(range.get(0));
        String why = "escalation: primary unit " + box.unitId() + " did not acknowledge; next nearest"
                + (nearby.isEmpty() ? " (none left within " + km(supportRadiusKm) + ")" : "") + ", "
                + km(pick.distanceKm());
        return Optional.of(new DispatchStep(pick.unit().id(), AlertRole.SUPPORT, pick.distanceKm(), why));
    }

    private static List<Candidate> candidates(CallBoxInfo box, List<UnitInfo> units, Set<String> excluded) {
        return units.stream().filter(u -> !excluded.contains(u.id())).map(u -> new Candidate(u, distance(box, u)))
                .sorted(NEAREST_FIRST).toList();
    }

    private static double distance(CallBoxInfo box, UnitInfo unit) {
        return GreatCircle.distanceKm(box.lat(), box.lon(), unit.lat(), unit.lon());
    }

    private static String km(double km) {
        return String.format(Locale.ROOT, "%.2f km", km);
    }

    private record Candidate(UnitInfo unit, double distanceKm) {
    }
}
