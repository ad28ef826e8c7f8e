package cn.callbox.hub.registry;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.JdbcDutyRoster.DayPlan;
import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.MemberInfo;

/**
 * Imports a township registry (villages, points, units, members, weekly duty patterns) all or nothing: every item is
 * checked against the registry's rules and against what the database holds (references may name records that exist
 * already), every error is collected with the path of the item that broke it, and only an import without errors is
 * written, in one transaction. Villages, points, units and members are new records (a taken id is an error);
 * a unit's duty pattern replaces the one it has. Thread-safe.
 */
class RegistryImport {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryImport.class);
    private static final Set<String> POINT_KINDS = Set.of("grid", "market", "group", "other");
    private static final int MAX_PHONE = 32;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DutyRosterService roster;
    private final String townshipId;

    RegistryImport(JdbcClient jdbc, TransactionTemplate transactions, DutyRosterService roster, String townshipId) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.roster = roster;
        this.townshipId = townshipId;
    }

    /** The body of {@code POST /api/registry/import}; missing lists are empty. */
    record Registry(List<VillageIn> villages, List<PointIn> points, List<UnitIn> units, List<MemberIn> members,
            List<PatternIn> dutyPatterns) {
        Registry {
            villages = villages == null ? List.of() : villages;
            points = points == null ? List.of() : points;
            units = units == null ? List.of() : units;
            members = members == null ? List.of() : members;
            dutyPatterns = dutyPatterns == null ? List.of() : dutyPatterns;
        }
    }

    record VillageIn(String id, String name) {
    }

    /** @param kind {@code grid}, {@code market}, {@code group} or {@code other} */
    record PointIn(String id, String villageId, String name, String kind, Double lat, Double lon, String unit) {
    }

    /** @param lat null with lon: the home point's coordinates */
    record UnitIn(String id, String name, String villageId, String homePoint, Double lat, Double lon) {
    }

    record MemberIn(String id, String unit, String name, String role, Boolean resident, String phone) {
    }

    /** @param day {@code MONDAY} .. {@code SUNDAY}; @param onDuty the leader may be left out */
    record PatternIn(String unit, String day, String leader, List<String> onDuty) {
    }

    /** How many records were written. */
    record Counts(int villages, int points, int units, int members, int dutyPatterns) {
    }

    /** One broken rule: {@code path} like {@code members[3].unit}, {@code rule} like {@code known-reference}. */
    record ImportError(String path, String rule, String text) {
    }

    /** The import broke rules; nothing was written. */
    static final class ImportRejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient List<ImportError> errors;

        ImportRejectedException(List<ImportError> errors) {
            super(errors.size() + " error(s); first: " + errors.get(0).path() + ": " + errors.get(0).text());
            this.errors = List.copyOf(errors);
        }

        List<ImportError> errors() {
            return errors;
        }
    }

    /**
     * Checks and writes the registry.
     *
     * @throws ImportRejectedException with every error found; nothing is written then
     */
    Counts importRegistry(Registry registry) {
        Counts counts = transactions.execute(status -> {
            String township = township();
            List<ImportError> errors = new ArrayList<>();
            Plan plan = check(registry, errors);
            if (!errors.isEmpty()) {
                throw new ImportRejectedException(errors);
            }
            write(registry, township, plan, errors);
            if (!errors.isEmpty()) {
                throw new ImportRejectedException(errors);
            }
            return new Counts(registry.villages().size(), registry.points().size(), registry.units().size(),
                    registry.members().size(), registry.dutyPatterns().size());
        });
        LOG.info("Registry imported: {}", counts);
        return counts;
    }

    /** What the checks worked out for writing: unit coordinates and each unit's pattern. */
    private record Plan(Map<String, double[]> unitCoordinates, Map<String, Map<DayOfWeek, DayPlan>> patterns) {
    }

    private Plan check(Registry in, List<ImportError> errors) {
        Set<String> villages = idsOf(in.villages(), VillageIn::id);
        Set<String> unitIds = idsOf(in.units(), UnitIn::id);
        Map<String, PointIn> points = new HashMap<>();
        in.points().forEach(p -> points.putIfAbsent(p.id(), p));

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < in.villages().size(); i++) {
            VillageIn v = in.villages().get(i);
            String path = "villages[" + i + "]";
            newId(errors, path + ".id", "village", v.id(), seen, "village");
            rule(errors, path + ".name", () -> RegistryRules.name("village " + v.id(), v.name()));
        }

        seen.clear();
        for (int i = 0; i < in.points().size(); i++) {
            PointIn p = in.points().get(i);
            String path = "points[" + i + "]";
            String subject = "point " + p.id();
            newId(errors, path + ".id", "point", p.id(), seen, "point");
            reference(errors, path + ".villageId", subject, "village", p.villageId(), villages, "village");
            rule(errors, path + ".name", () -> RegistryRules.name(subject, p.name()));
            rule(errors, path + ".kind", () -> {
                if (p.kind() == null || !POINT_KINDS.contains(p.kind())) {
                    throw new RegistryRuleException(Rule.VALID_VALUE, subject,
                            "kind '" + p.kind() + "' is not one of " + POINT_KINDS);
                }
            });
            rule(errors, path, () -> CallBoxEnrolment.coordinates(subject, p.lat(), p.lon()));
            reference(errors, path + ".unit", subject, "unit", p.unit(), unitIds, "unit");
        }

        Map<String, double[]> coordinates = new HashMap<>();
        seen.clear();
        for (int i = 0; i < in.units().size(); i++) {
            UnitIn u = in.units().get(i);
            String path = "units[" + i + "]";
            String subject = "unit " + u.id();
            newId(errors, path + ".id", "unit", u.id(), seen, "unit");
            rule(errors, path + ".name", () -> RegistryRules.name(subject, u.name()));
            reference(errors, path + ".villageId", subject, "village", u.villageId(), villages, "village");
            double[] home = null;
            if (u.homePoint() != null) {
                PointIn p = points.get(u.homePoint());
                if (p != null) {
                    home = p.lat() == null || p.lon() == null ? null : new double[] { p.lat(), p.lon() };
                } else {
                    home = jdbc.sql("SELECT lat, lon FROM point WHERE id = ?").param(u.homePoint())
                            .query((rs, n) -> new double[] { rs.getDouble(1), rs.getDouble(2) }).optional()
                            .orElse(null);
                    if (home == null) {
                        errors.add(new ImportError(path + ".homePoint", Rule.KNOWN_REFERENCE.wireName(),
                                new RegistryRuleException(Rule.KNOWN_REFERENCE, subject,
                                        "no point '" + u.homePoint() + "'").getMessage()));
                    }
                }
            }
            if (u.lat() != null || u.lon() != null || home == null) {
                rule(errors, path, () -> CallBoxEnrolment.coordinates(subject, u.lat(), u.lon()));
                if (u.lat() != null && u.lon() != null) {
                    coordinates.put(u.id(), new double[] { u.lat(), u.lon() });
                }
            } else {
                coordinates.put(u.id(), home);
            }
        }

        Map<String, Map<String, MemberInfo>> membersByUnit = new HashMap<>();
        seen.clear();
        for (int i = 0; i < in.members().size(); i++) {
            MemberIn m = in.members().get(i);
            String path = "members[" + i + "]";
            String subject = "member " + m.id();
            newId(errors, path + ".id", "member", m.id(), seen, "member");
            reference(errors, path + ".unit", subject, "unit", m.unit(), unitIds, "unit");
            rule(errors, path + ".name", () -> RegistryRules.name(subject, m.name()));
            rule(errors, path + ".role", () -> CallBoxEnrolment.required(subject, "role", m.role()));
            rule(errors, path + ".resident", () -> {
                if (m.resident() == null) {
                    throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, "resident is missing");
                }
            });
            rule(errors, path + ".phone", () -> {
                if (m.phone() != null && m.phone().length() > MAX_PHONE) {
                    throw new RegistryRuleException(Rule.TEXT_LENGTH, subject,
                            "the phone number has " + m.phone().length() + " characters (at most " + MAX_PHONE + ")");
                }
            });
            if (m.unit() != null && m.id() != null) {
                membersByUnit.computeIfAbsent(m.unit(), k -> new HashMap<>()).put(m.id(),
                        new MemberInfo(m.id(), m.unit(), m.name(), m.role(), Boolean.TRUE.equals(m.resident())));
            }
        }
        for (int i = 0; i < in.units().size(); i++) {
            UnitIn u = in.units().get(i);
            long residents = membersByUnit.getOrDefault(u.id(), Map.of()).values().stream()
                    .filter(MemberInfo::resident).count();
            if (residents < RegistryRules.MIN_MEMBERS) {
                errors.add(error("units[" + i + "]", new RegistryRuleException(Rule.MIN_RESIDENT_MEMBERS,
                        "unit " + u.id(), "the import gives it " + residents)));
            }
        }

        Map<String, Map<DayOfWeek, DayPlan>> patterns = new LinkedHashMap<>();
        for (int i = 0; i < in.dutyPatterns().size(); i++) {
            PatternIn d = in.dutyPatterns().get(i);
            String path = "dutyPatterns[" + i + "]";
            String subject = "duty pattern of unit " + d.unit() + " on " + d.day();
            boolean unitKnown = reference(errors, path + ".unit", subject, "unit", d.unit(), unitIds, "unit");
            DayOfWeek day;
            try {
                day = DayOfWeek.valueOf(String.valueOf(d.day()).strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(error(path + ".day", new RegistryRuleException(Rule.VALID_VALUE, subject,
                        "day '" + d.day() + "' is not one of MONDAY..SUNDAY")));
                continue;
            }
            if (!unitKnown) {
                continue;
            }
            Map<DayOfWeek, DayPlan> pattern = patterns.computeIfAbsent(d.unit(), k -> new EnumMap<>(DayOfWeek.class));
            if (pattern.containsKey(day)) {
                errors.add(error(path + ".day", new RegistryRuleException(Rule.WEEK_COMPLETE, subject,
                        "the day is listed twice")));
                continue;
            }
            DayPlan plan = DayPlan.of(d.leader(), d.onDuty() == null ? List.of() : d.onDuty());
            pattern.put(day, plan);
            Map<String, MemberInfo> members = new HashMap<>(membersOfUnit(d.unit()));
            members.putAll(membersByUnit.getOrDefault(d.unit(), Map.of()));
            rule(errors, path, () -> DutyRosterService.checkDay(subject, plan, members));
        }
        patterns.forEach((unit, pattern) -> {
            for (DayOfWeek day : DayOfWeek.values()) {
                if (!pattern.containsKey(day)) {
                    errors.add(error("dutyPatterns", new RegistryRuleException(Rule.WEEK_COMPLETE,
                            "duty pattern of unit " + unit, day.name() + " is missing")));
                }
            }
        });
        return new Plan(coordinates, patterns);
    }

    private void write(Registry in, String township, Plan plan, List<ImportError> errors) {
        for (VillageIn v : in.villages()) {
            jdbc.sql("INSERT INTO village (id, township_id, name) VALUES (?, ?, ?)")
                    .params(v.id(), township, v.name().strip()).update();
        }
        for (UnitIn u : in.units()) {
            double[] at = plan.unitCoordinates().get(u.id());
            jdbc.sql("INSERT INTO unit (id, village_id, name, home_point_id, lat, lon) VALUES (?, ?, ?, NULL, ?, ?)")
                    .params(u.id(), u.villageId(), u.name().strip(), at[0], at[1]).update();
        }
        for (PointIn p : in.points()) {
            jdbc.sql("INSERT INTO point (id, village_id, kind, name, lat, lon, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(p.id(), p.villageId(), p.kind(), p.name().strip(), p.lat(), p.lon(), p.unit()).update();
        }
        for (UnitIn u : in.units()) {
            if (u.homePoint() != null) {
                jdbc.sql("UPDATE unit SET home_point_id = ? WHERE id = ?").params(u.homePoint(), u.id()).update();
            }
        }
        for (MemberIn m : in.members()) {
            jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident, phone, mqtt_password_hash)"
                    + " VALUES (?, ?, ?, ?, ?, ?, NULL)")
                    .params(m.id(), m.unit(), m.name().strip(), m.role().strip(), m.resident(), m.phone()).update();
        }
        plan.patterns().forEach((unit, pattern) -> {
            try {
                roster.replacePattern(unit, pattern);
            } catch (RegistryRuleException e) {
                errors.add(error("dutyPatterns", e));
            } catch (UnknownRosterEntryException e) {
                errors.add(new ImportError("dutyPatterns", Rule.KNOWN_REFERENCE.wireName(), e.getMessage()));
            }
        });
    }

    /** The hub's township; created (named by its id) when the registry has none yet. */
    private String township() {
        if (exists("SELECT COUNT(*) FROM township WHERE id = ?", townshipId)) {
            return townshipId;
        }
        List<String> all = jdbc.sql("SELECT id FROM township").query(String.class).list();
        if (all.size() == 1) {
            return all.get(0);
        }
        jdbc.sql("INSERT INTO township (id, name, district) VALUES (?, ?, ?)").params(townshipId, townshipId, "-")
                .update();
        return townshipId;
    }

    private Map<String, MemberInfo> membersOfUnit(String unitId) {
        Map<String, MemberInfo> members = new HashMap<>();
        jdbc.sql("SELECT id, unit_id, name, role, resident FROM member WHERE unit_id = ?").param(unitId)
                .query((rs, n) -> new MemberInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)))
                .list().forEach(m -> members.put(m.id(), m));
        return members;
    }

    /** A valid id, once in the import, not in {@code table} yet. */
    private void newId(List<ImportError> errors, String path, String kind, String id, Set<String> seen, String table) {
        try {
            RegistryRules.id(kind, id);
        } catch (RegistryRuleException e) {
            errors.add(error(path, e));
            return;
        }
        if (!seen.add(id)) {
            errors.add(error(path, new RegistryRuleException(Rule.UNIQUE_ID, kind + " " + id,
                    "it is listed more than once")));
        } else if (exists("SELECT COUNT(*) FROM " + table + " WHERE id = ?", id)) {
            errors.add(error(path, new RegistryRuleException(Rule.UNIQUE_ID, kind + " " + id,
                    "it is registered already")));
        }
    }

    /** @return true when {@code id} names a record of the import or of {@code table} */
    private boolean reference(List<ImportError> errors, String path, String subject, String what, String id,
            Set<String> inImport, String table) {
        if (id != null && (inImport.contains(id) || exists("SELECT COUNT(*) FROM " + table + " WHERE id = ?", id))) {
            return true;
        }
        errors.add(error(path, new RegistryRuleException(Rule.KNOWN_REFERENCE, subject, "no " + what + " '" + id + "'")));
        return false;
    }

    private static void rule(List<ImportError> errors, String path, Runnable check) {
        try {
            check.run();
        } catch (RegistryRuleException e) {
            errors.add(error(path, e));
        }
    }

    private static ImportError error(String path, RegistryRuleException e) {
        return new ImportError(path, e.rule().wireName(), e.getMessage());
    }

    private static <T> Set<String> idsOf(List<T> items, Function<T, String> id) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> {
            if (id.apply(item) != null) {
                ids.add(id.apply(item));
            }
        });
        return ids;
    }

    private boolean exists(String sql, Object id) {
        Long count = jdbc.sql(sql).param(id).query(Long.class).single();
        return count != null && count > 0;
    }
}
