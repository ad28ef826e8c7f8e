package cn.callbox.provision;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a township registry read from CSV or YAML before anything is sent, and builds the hub's import body. The
 * rules are the hub's (DOMAIN.md §4.2): ids are valid topic levels and unique; required fields are set; numbers are
 * numbers; coordinates lie in China; a unit has at least 5 members who live in the village; a duty day has one duty
 * leader and at least 3 on duty (leader included), all members of the unit who live there; a unit's duty pattern
 * plans all seven days. A reference (a point's village, a member's unit...) is checked here when the import has the
 * section it points into; otherwise it may name a record the hub has, and the hub checks it.
 */
final class RegistryCheck {

    static final Set<String> POINT_KINDS = new LinkedHashSet<>(List.of("grid", "market", "group", "other"));
    static final int MIN_MEMBERS = 5;
    static final int MIN_ON_DUTY = 3;
    static final int MAX_NAME = 100;
    static final int MAX_PHONE = 32;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PATH = Pattern.compile("([A-Za-z]+)\\[(\\d+)\\].*");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[;,\\s]+");

    private final Map<Section, List<Row>> sections;
    private final List<ImportError> errors = new ArrayList<>();
    private final ObjectNode body = HubClient.JSON.createObjectNode();

    RegistryCheck(Map<Section, List<Row>> sections) {
        this.sections = sections;
    }

    /** Runs every check; the errors in the order found. */
    List<ImportError> check() {
        Set<String> villages = ids(Section.VILLAGES);
        Set<String> points = ids(Section.POINTS);
        Set<String> units = ids(Section.UNITS);
        Map<String, Row> members = new HashMap<>();

        for (Row row : rows(Section.VILLAGES)) {
            ObjectNode out = add(Section.VILLAGES);
            id(row, "id", out);
            name(row, "name", out);
        }
        for (Row row : rows(Section.POINTS)) {
            ObjectNode out = add(Section.POINTS);
            id(row, "id", out);
            reference(row, "villageId", Section.VILLAGES, villages, out);
            name(row, "name", out);
            String kind = required(row, "kind");
            if (kind != null) {
                if (!POINT_KINDS.contains(kind)) {
                    error(row, "valid-value", "kind '" + kind + "' is not one of " + String.join(", ", POINT_KINDS));
                }
                out.put("kind", kind);
            }
            coordinates(row, true, "", out);
            reference(row, "unit", Section.UNITS, units, out);
        }
        for (Row row : rows(Section.UNITS)) {
            ObjectNode out = add(Section.UNITS);
            id(row, "id", out);
            name(row, "name", out);
            reference(row, "villageId", Section.VILLAGES, villages, out);
            if (row.get("homePoint") != null) {
                reference(row, "homePoint", Section.POINTS, points, out);
                coordinates(row, false, "", out);
            } else {
                coordinates(row, true, " (or give homePoint)", out);
            }
        }
        Set<String> seenMembers = new HashSet<>();
        for (Row row : rows(Section.MEMBERS)) {
            ObjectNode out = add(Section.MEMBERS);
            String id = id(row, "id", out);
            reference(row, "unit", Section.UNITS, units, out);
            name(row, "name", out);
            text(row, "role", out);
            String resident = required(row, "resident");
            if (resident != null) {
                Boolean value = bool(resident);
                if (value == null) {
                    error(row, "valid-value", "resident '" + resident + "' is not yes/no, true/false or 是/否");
                } else {
                    out.put("resident", value);
                }
            }
            String phone = row.get("phone");
            if (phone != null) {
                if (phone.length() > MAX_PHONE) {
                    error(row, "text-length", "the phone number has " + phone.length() + " characters (at most "
                            + MAX_PHONE + ")");
                }
                out.put("phone", phone);
            }
            if (id != null && seenMembers.add(id)) {
                members.put(id, row);
            }
        }
        for (Row unit : rows(Section.UNITS)) {
            String id = unit.get("id");
            long residents = members.values().stream()
                    .filter(m -> id != null && id.equals(m.get("unit")) && Boolean.TRUE.equals(bool(m.get("resident"))))
                    .count();
            if (id != null && residents < MIN_MEMBERS) {
                error(unit, "min-members", "unit " + id + " needs at least " + MIN_MEMBERS + " members who live in "
                        + "the village (DOMAIN.md §4.2); the import gives it " + residents);
            }
        }
        checkDuty(units, members);
        return errors;
    }

    /** The hub's import body; meaningful only when {@link #check()} found nothing. */
    ObjectNode body() {
        return body;
    }

    /**
     * Where the item of a hub error path ({@code members[3].unit}) came from.
     *
     * @return {@code FILE:LINE}, or null when the path names no item of this import
     */
    String source(String path) {
        if (path == null) {
            return null;
        }
        Matcher matcher = PATH.matcher(path);
        String list = matcher.matches() ? matcher.group(1) : path;
        for (Section section : Section.values()) {
            if (section.jsonName().equals(list)) {
                List<Row> rows = rows(section);
                if (matcher.matches()) {
                    int index = Integer.parseInt(matcher.group(2));
                    return index < rows.size() ? rows.get(index).where() : null;
                }
                return rows.isEmpty() ? null : rows.get(0).file() + ":" + rows.get(0).line();
            }
        }
        return null;
    }

    private void checkDuty(Set<String> units, Map<String, Row> members) {
        Map<String, Map<DayOfWeek, Row>> patterns = new LinkedHashMap<>();
        Map<String, Row> firstRow = new HashMap<>();
        for (Row row : rows(Section.DUTY)) {
            ObjectNode out = add(Section.DUTY);
            String unit = reference(row, "unit", Section.UNITS, units, out);
            String dayText = required(row, "day");
            DayOfWeek day = null;
            if (dayText != null) {
                try {
                    day = DayOfWeek.valueOf(dayText.toUpperCase(Locale.ROOT));
                    out.put("day", day.name());
                } catch (IllegalArgumentException e) {
                    error(row, "valid-value", "day '" + dayText + "' is not one of MONDAY..SUNDAY");
                }
            }
            String leader = row.get("leader");
            List<String> leaders = leader == null ? List.of() : List.of(LIST_SEPARATOR.split(leader));
            if (leaders.size() != 1) {
                error(row, "one-duty-leader", "a duty day has exactly one duty leader (DOMAIN.md §4.2); "
                        + (leaders.isEmpty() ? "this one has none" : "this one names " + leaders.size() + ": "
                                + String.join(", ", leaders)));
            } else {
                out.put("leader", leader);
            }
            List<String> onDuty = row.get("onDuty") == null ? List.of()
                    : List.of(LIST_SEPARATOR.split(row.get("onDuty")));
            ArrayNode list = out.putArray("onDuty");
            Set<String> everyone = new LinkedHashSet<>(leaders.size() == 1 ? leaders : List.of());
            Set<String> listed = new LinkedHashSet<>();
            for (String member : onDuty) {
                list.add(member);
                if (!listed.add(member)) {
                    error(row, "unique-id", "member " + member + " is on duty twice");
                }
                everyone.add(member);
            }
            if (everyone.size() < MIN_ON_DUTY) {
                error(row, "min-on-duty", "a duty day has at least " + MIN_ON_DUTY + " members on duty, the leader "
                        + "included (DOMAIN.md §4.2); this one has " + everyone.size());
            }
            if (unit != null) {
                for (String member : everyone) {
                    Row known = members.get(member);
                    if (known != null && !unit.equals(known.get("unit"))) {
                        error(row, "duty-own-members", "member " + member + " is on duty for unit " + unit
                                + " but belongs to unit " + known.get("unit") + " (" + known.where() + ")");
                    } else if (known == null && units.contains(unit) && sections.containsKey(Section.MEMBERS)) {
                        error(row, "duty-own-members", "member " + member + " is not a member of unit " + unit);
                    } else if (known != null && Boolean.FALSE.equals(bool(known.get("resident")))) {
                        error(row, "on-duty-resident", "member " + member + " is on duty but does not live in the "
                                + "village (DOMAIN.md §4.2)");
                    }
                }
            }
            if (unit != null && day != null) {
                firstRow.putIfAbsent(unit, row);
                Row before = patterns.computeIfAbsent(unit, u -> new EnumMap<>(DayOfWeek.class)).putIfAbsent(day, row);
                if (before != null) {
                    error(row, "one-duty-leader", "unit " + unit + " plans " + day + " twice (also " + before.where()
                            + "); a duty day has exactly one duty leader");
                }
            }
        }
        patterns.forEach((unit, days) -> {
            List<String> missing = new ArrayList<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                if (!days.containsKey(day)) {
                    missing.add(day.name());
                }
            }
            if (!missing.isEmpty()) {
                error(firstRow.get(unit), "week-complete", "the duty pattern of unit " + unit + " plans each of the "
                        + "seven days; missing: " + String.join(", ", missing));
            }
        });
    }

    private List<Row> rows(Section section) {
        return sections.getOrDefault(section, List.of());
    }

    private ObjectNode add(Section section) {
        ArrayNode list = body.has(section.jsonName()) ? (ArrayNode) body.get(section.jsonName())
                : body.putArray(section.jsonName());
        return list.addObject();
    }

    private Set<String> ids(Section section) {
        Set<String> ids = new HashSet<>();
        Map<String, Row> seen = new HashMap<>();
        for (Row row : rows(section)) {
            String id = row.get("id");
            if (id == null) {
                continue;
            }
            Row before = seen.putIfAbsent(id, row);
            if (before != null) {
                error(row, "unique-id", section.yamlName() + ": id '" + id + "' is used twice (also " + before.where()
                        + ")");
            }
            ids.add(id);
        }
        return ids;
    }

    private String id(Row row, String field, ObjectNode out) {
        String id = required(row, field);
        if (id == null) {
            return null;
        }
        if (!ID.matcher(id).matches()) {
            error(row, "valid-id", field + " '" + id + "' is not an id: letters, digits, '.', '_', '-', starting with a"
                    + " letter or digit, at most 64");
        }
        out.put(field, id);
        return id;
    }

    private void name(Row row, String field, ObjectNode out) {
        String name = text(row, field, out);
        if (name != null && name.length() > MAX_NAME) {
            error(row, "text-length", field + " has " + name.length() + " characters (at most " + MAX_NAME + ")");
        }
    }

    private String text(Row row, String field, ObjectNode out) {
        String text = required(row, field);
        if (text != null) {
            out.put(field, text);
        }
        return text;
    }

    /** A reference; checked against {@code known} when the import has {@code target}'s section. */
    private String reference(Row row, String field, Section target, Set<String> known, ObjectNode out) {
        String id = required(row, field);
        if (id == null) {
            return null;
        }
        out.put(field, id);
        if (sections.containsKey(target) && !known.contains(id)) {
            error(row, "known-reference", field + " '" + id + "' is not in " + target.yamlName() + " of this import");
        }
        return id;
    }

    private void coordinates(Row row, boolean required, String hint, ObjectNode out) {
        String latText = row.get("lat");
        String lonText = row.get("lon");
        if (!required && latText == null && lonText == null) {
            return;
        }
        if (latText == null || lonText == null) {
            error(row, "required-field", latText == null && lonText == null ? "lat and lon are missing" + hint
                    : "give both lat and lon");
            return;
        }
        Double lat = number(row, "lat", latText);
        Double lon = number(row, "lon", lonText);
        if (lat == null || lon == null) {
            return;
        }
        if (!Coordinates.latitudeInChina(lat) || !Coordinates.longitudeInChina(lon)) {
            error(row, "china-coordinates", "coordinates lie in China (latitude 3 to 54, longitude 73 to 136); got "
                    + latText + ", " + lonText);
        }
        out.put("lat", lat);
        out.put("lon", lon);
    }

    private Double number(Row row, String field, String text) {
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(row, "number", field + " '" + text + "' is not a number");
        return null;
    }

    private String required(Row row, String field) {
        String value = row.get(field);
        if (value == null) {
            error(row, "required-field", field + " is missing");
        }
        return value;
    }

    static Boolean bool(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "是" -> Boolean.TRUE;
            case "false", "no", "n", "0", "否" -> Boolean.FALSE;
            default -> null;
        };
    }

    private void error(Row row, String rule, String text) {
        errors.add(ImportError.at(row, rule, text));
    }
}
