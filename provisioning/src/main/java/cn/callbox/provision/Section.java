package cn.callbox.provision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sections of a township registry: a CSV file each (named {@link #csvName()}) or a section of a YAML file (named
 * {@link #yamlName()}, or {@link #jsonName()}). Field names are those of the hub's import JSON; a CSV header or a YAML
 * key may also be written in snake or kebab case ({@code home_point}), and {@code village} stands for
 * {@code villageId}.
 */
enum Section {
    VILLAGES("villages", "villages", List.of("id", "name"), List.of()),
    POINTS("points", "points", List.of("id", "villageId", "name", "kind", "lat", "lon", "unit"), List.of()),
    UNITS("units", "units", List.of("id", "name", "villageId"), List.of("homePoint", "lat", "lon")),
    MEMBERS("members", "members", List.of("id", "unit", "name", "role", "resident"), List.of("phone")),
    DUTY("duty", "dutyPatterns", List.of("unit", "day", "leader", "onDuty"), List.of());

    private final String yamlName;
    private final String jsonName;
    private final List<String> required;
    private final List<String> optional;

    Section(String yamlName, String jsonName, List<String> required, List<String> optional) {
        this.yamlName = yamlName;
        this.jsonName = jsonName;
        this.required = required;
        this.optional = optional;
    }

    String csvName() {
        return yamlName + ".csv";
    }

    String yamlName() {
        return yamlName;
    }

    /** The list's name in the hub's import JSON and in its error paths. */
    String jsonName() {
        return jsonName;
    }

    List<String> required() {
        return required;
    }

    /** The field a header or key names, or null when it names none of this section's fields. */
    String field(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        required.forEach(f -> fields.put(normal(f), f));
        optional.forEach(f -> fields.put(normal(f), f));
        if (fields.containsKey("villageid")) {
            fields.put("village", "villageId");
        }
        return fields.get(normal(header));
    }

    String columns() {
        StringBuilder text = new StringBuilder(String.join(",", required));
        optional.forEach(f -> text.append(",[").append(f).append(']'));
        return text.toString();
    }

    static Section byCsvName(String fileName) {
        for (Section section : values()) {
            if (section.csvName().equals(fileName.toLowerCase(Locale.ROOT))) {
                return section;
            }
        }
        return null;
    }

    static Section byYamlName(String name) {
        for (Section section : values()) {
            if (section.yamlName.equals(name) || section.jsonName.equals(name)) {
                return section;
            }
        }
        return null;
    }

    private static String normal(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    }
}
