package cn.callbox.provision;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a registry YAML file: a mapping with the sections {@code villages}, {@code points}, {@code units},
 * {@code members} and {@code duty} (or {@code dutyPatterns}), each a list of mappings with the fields of the CSV
 * columns; {@code onDuty} may be a list. Only the node tree is read (no objects are built), so lines are known and
 * no tag can make a class.
 */
final class YamlRegistryReader {

    private YamlRegistryReader() {
    }

    static Map<Section, List<Row>> read(String file, String text, List<ImportError> errors) {
        Map<Section, List<Row>> sections = new LinkedHashMap<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(10);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            errors.add(new ImportError(file, mark == null ? 1 : mark.getLine() + 1, "yaml-syntax",
                    e.getProblem() == null ? "not YAML" : e.getProblem()));
            return sections;
        } catch (YAMLException e) {
            errors.add(new ImportError(file, 1, "yaml-syntax", e.getMessage()));
            return sections;
        }
        if (!(root instanceof MappingNode mapping)) {
            errors.add(new ImportError(file, root == null ? 1 : line(root), "yaml-syntax",
                    "the file is not a mapping of sections (villages, points, units, members, duty)"));
            return sections;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String name = scalar(tuple.getKeyNode());
            Section section = name == null ? null : Section.byYamlName(name);
            if (section == null) {
                errors.add(new ImportError(file, line(tuple.getKeyNode()), "unknown-section", "'" + name
                        + "' is not one of villages, points, units, members, duty"));
                continue;
            }
            if (sections.containsKey(section)) {
                errors.add(new ImportError(file, line(tuple.getKeyNode()), "unknown-section", "section '" + name
                        + "' is there twice"));
                continue;
            }
            sections.put(section, rows(file, section, tuple.getValueNode(), errors));
        }
        return sections;
    }

    private static List<Row> rows(String file, Section section, Node node, List<ImportError> errors) {
        List<Row> rows = new ArrayList<>();
        if (node instanceof ScalarNode scalar && scalar.getValue().isEmpty()) {
            return rows;
        }
        if (!(node instanceof SequenceNode sequence)) {
            errors.add(new ImportError(file, line(node), "yaml-syntax", "section " + section.yamlName()
                    + " is not a list"));
            return rows;
        }
        for (Node item : sequence.getValue()) {
            if (!(item instanceof MappingNode fields)) {
                errors.add(new ImportError(file, line(item), "yaml-syntax", "an item of " + section.yamlName()
                        + " is not a mapping of fields"));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            boolean broken = false;
            for (NodeTuple tuple : fields.getValue()) {
                String key = scalar(tuple.getKeyNode());
                String field = key == null ? null : section.field(key);
                if (field == null) {
                    errors.add(new ImportError(file, line(tuple.getKeyNode()), "unknown-column", "field '" + key
                            + "' is not one of " + section.columns()));
                    broken = true;
                    continue;
                }
                String value = value(tuple.getValueNode());
                if (value == null) {
                    errors.add(new ImportError(file, line(tuple.getValueNode()), "yaml-syntax", "field " + field
                            + " is neither text nor a list of text"));
                    broken = true;
                } else if (!value.isBlank()) {
                    values.put(field, value.strip());
                }
            }
            if (!broken) {
                rows.add(new Row(file, line(item), values));
            }
        }
        return rows;
    }

    /** A scalar as text, a list of scalars joined with {@code ;}, null for anything else. */
    private static String value(Node node) {
        if (node instanceof ScalarNode scalar) {
            return "null".equals(scalar.getTag().getValue().replace("tag:yaml.org,2002:", "")) ? "" : scalar.getValue();
        }
        if (node instanceof SequenceNode sequence) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar)) {
                    return null;
                }
                items.add(scalar.getValue().strip());
            }
            return String.join(";", items);
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
