package cn.callbox.hub.announcement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;

/**
 * Whom a broadcast is for: call boxes by endpoint, villages (all their boxes) and units (the boxes at the points they
 * are responsible for). Lists are never null; duplicates are dropped, order kept.
 */
record Targets(List<String> callboxes, List<String> villages, List<String> units) {

    Targets {
        callboxes = distinct(callboxes);
        villages = distinct(villages);
        units = distinct(units);
    }

    boolean isEmpty() {
        return callboxes.isEmpty() && villages.isEmpty() && units.isEmpty();
    }

    /** e.g. {@code callboxes:a,b villages:v units:u}, for the audit log. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (!callboxes.isEmpty()) {
            parts.add("callboxes:" + String.join(",", callboxes));
        }
        if (!villages.isEmpty()) {
            parts.add("villages:" + String.join(",", villages));
        }
        if (!units.isEmpty()) {
            parts.add("units:" + String.join(",", units));
        }
        return String.join(" ", parts);
    }

    /**
     * The boxes these targets reach today, through the registry.
     *
     * @param unknown gets a "kind id" entry for every target the registry does not know; may be null
     * @return endpoints, sorted
     */
    SortedSet<String> resolve(TownshipDirectory directory, Collection<String> unknown) {
        SortedSet<String> endpoints = new TreeSet<>();
        List<CallBoxInfo> boxes = null;
        for (String endpoint : callboxes) {
            if (directory.callBox(endpoint).isPresent()) {
                endpoints.add(endpoint);
            } else if (unknown != null) {
                unknown.add("callbox " + endpoint);
            }
        }
        for (String village : villages) {
            if (boxes == null) {
                boxes = directory.callBoxes();
            }
            boolean known = false;
            for (CallBoxInfo box : boxes) {
                if (village.equals(box.villageId())) {
                    endpoints.add(box.endpoint());
                    known = true;
                }
            }
            if (!known && directory.units().stream().noneMatch(u -> village.equals(u.villageId())) && unknown != null) {
                unknown.add("village " + village);
            }
        }
        for (String unitId : units) {
            UnitInfo unit = directory.unit(unitId).orElse(null);
            if (unit == null) {
                if (unknown != null) {
                    unknown.add("unit " + unitId);
                }
            } else {
                endpoints.addAll(unit.callBoxes());
            }
        }
        return endpoints;
    }

    private static List<String> distinct(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null) {
                kept.add(id.strip());
            }
        }
        return List.copyOf(kept);
    }
}
