package cn.callbox.provision;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code import}: a township registry from CSV files ({@code villages.csv}, {@code points.csv}, {@code units.csv},
 * {@code members.csv}, {@code duty.csv}) or a YAML file ({@code .yaml}/{@code .yml}) with those sections, checked
 * here ({@link RegistryCheck}) and then sent to {@code POST /api/registry/import}, which takes all or nothing. Errors
 * are printed {@code FILE:LINE: rule: text}, the hub's too (with the hub's path in brackets).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports a township registry (villages, points, units, members, weekly duty) into the hub, "
                + "all or nothing.",
            "CSV: one file per kind, UTF-8 with a header row: villages.csv (id,name), points.csv "
                + "(id,village,name,kind,lat,lon,unit; kind grid|market|group|other), units.csv "
                + "(id,name,village,[homePoint],[lat],[lon]), members.csv (id,unit,name,role,resident,[phone]; "
                + "resident yes|no), duty.csv (unit,day,leader,onDuty; day MONDAY..SUNDAY, onDuty ids separated "
                + "by ';').",
            "YAML: one file with the sections villages, points, units, members, duty (lists of the same fields).",
            "Everything is checked before anything is sent; errors are printed FILE:LINE: rule: text."})
final class ImportCommand implements Runnable {

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "CSV files named by their kind, or one YAML file")
    List<Path> files;

    ImportCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        List<ImportError> errors = new ArrayList<>();
        Map<Section, List<Row>> sections = read(errors);
        RegistryCheck check = new RegistryCheck(sections);
        if (errors.isEmpty()) {
            errors.addAll(check.check());
        }
        if (!errors.isEmpty()) {
            print(errors);
            throw CliException.usage(errors.size() + (errors.size() == 1 ? " problem" : " problems")
                    + " in the registry; nothing was sent to the hub");
        }
        HubClient client = hubOptions.client(context);
        JsonNode counts;
        try {
            counts = client.post("/api/registry/import", check.body());
        } catch (HubClient.HubRefusedException e) {
            JsonNode hubErrors = e.problem().path("errors");
            if (!hubErrors.isArray() || hubErrors.isEmpty()) {
                throw e;
            }
            for (JsonNode error : hubErrors) {
                String path = error.path("path").asText(null);
                String source = check.source(path);
                context.err().println((source == null ? "hub" : source) + ": " + error.path("rule").asText("rule")
                        + ": " + error.path("text").asText("") + " [" + (path == null ? "-" : path) + "]");
            }
            throw new CliException(CliException.HUB_REFUSED, "the hub refused the import (HTTP " + e.status() + "): "
                    + hubErrors.size() + (hubErrors.size() == 1 ? " problem" : " problems")
                    + "; nothing was imported");
        }
        context.out().println("imported: " + counts.path("villages").asInt() + " villages, "
                + counts.path("points").asInt() + " points, " + counts.path("units").asInt() + " units, "
                + counts.path("members").asInt() + " members, " + counts.path("dutyPatterns").asInt() + " duty days");
    }

    private Map<Section, List<Row>> read(List<ImportError> errors) {
        Map<Section, List<Row>> sections = new EnumMap<>(Section.class);
        Map<Section, String> from = new LinkedHashMap<>();
        for (Path path : files) {
            String file = path.toString();
            String name = path.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            boolean yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
            Section csvSection = Section.byCsvName(name);
            if (!yaml && csvSection == null) {
                throw CliException.usage(file + ": a registry file is villages.csv, points.csv, units.csv, "
                        + "members.csv, duty.csv, or a .yaml/.yml file");
            }
            String text = readText(path);
            Map<Section, List<Row>> read = yaml ? YamlRegistryReader.read(file, text, errors)
                    : Map.of(csvSection, CsvRegistryReader.read(file, text, csvSection, errors));
            read.forEach((section, rows) -> {
                String before = from.putIfAbsent(section, file);
                if (before != null) {
                    errors.add(new ImportError(file, 1, "unknown-section", section.yamlName() + " are given twice (also"
                            + " in " + before + ")"));
                } else {
                    sections.put(section, rows);
                }
            });
        }
        return sections;
    }

    private static String readText(Path path) {
        if (!Files.isRegularFile(path)) {
            throw CliException.usage(path + " does not exist or is not a file");
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CliException.usage(path + " is not UTF-8 text (save it as UTF-8, e.g. 'CSV UTF-8' in a spreadsheet)");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + path + ": " + e);
        }
    }

    private void print(List<ImportError> errors) {
        List<String> order = files.stream().map(Path::toString).toList();
        errors.stream()
                .sorted(Comparator.comparingInt((ImportError e) -> order.indexOf(e.file()))
                        .thenComparingInt(ImportError::line))
                .forEach(error -> context.err().println(error));
    }
}
