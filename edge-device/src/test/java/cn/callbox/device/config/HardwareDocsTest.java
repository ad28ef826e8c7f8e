package cn.callbox.device.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Keeps the installer documents in {@code hardware-docs} honest: the pin table's header column is the real Raspberry
 * Pi header, {@code wiring.svg} is well-formed and labels every pin of the table with the same header pin, the power
 * budget's chosen battery covers what its own load table requires, and every zh-CN page has its English twin.
 * Each check returns its problems as text; the tests below also feed it broken input to show that it can fail.
 */
class HardwareDocsTest {

    private static final Path DOCS = Path.of("..", "hardware-docs");

    /** The 40-pin header of the Raspberry Pi (B+, 2, 3, 4, 5): BCM GPIO number → physical pin. */
    static final Map<Integer, Integer> HEADER = Map.ofEntries(Map.entry(2, 3), Map.entry(3, 5), Map.entry(4, 7),
            Map.entry(14, 8), Map.entry(15, 10), Map.entry(17, 11), Map.entry(18, 12), Map.entry(27, 13),
            Map.entry(22, 15), Map.entry(23, 16), Map.entry(24, 18), Map.entry(10, 19), Map.entry(9, 21),
            Map.entry(25, 22), Map.entry(11, 23), Map.entry(8, 24), Map.entry(7, 26), Map.entry(0, 27),
            Map.entry(1, 28), Map.entry(5, 29), Map.entry(6, 31), Map.entry(12, 32), Map.entry(13, 33),
            Map.entry(19, 35), Map.entry(16, 36), Map.entry(26, 37), Map.entry(20, 38), Map.entry(21, 40));

    // | `pin.x` | BCM | header | ...
    private static final Pattern PIN_ROW = Pattern
            .compile("^\\|\\s*`(pin\\.[a-z0-9.-]+)`\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|.*");
    // a GPIO label in the drawing and the pages: GPIO17 [11] (BCM number, physical header pin in brackets)
    private static final Pattern GPIO_LABEL = Pattern.compile("GPIO\\s*(\\d+)\\s*\\[(\\d+)\\]");
    // | load | V | standby A | standby duty | alarm A | alarm duty | `buck` or `direct` |
    private static final String NUM = "\\s*(\\d+(?:\\.\\d+)?)\\s*";
    private static final Pattern LOAD_ROW = Pattern
            .compile("^\\|([^|]+)\\|" + NUM + "\\|" + NUM + "\\|" + NUM + "\\|" + NUM + "\\|" + NUM
                    + "\\|\\s*`(buck|direct)`\\s*\\|\\s*$");
    // | `key` | value | ...
    private static final Pattern PARAMETER_ROW = Pattern.compile("^\\|\\s*`([a-z-]+)`\\s*\\|" + NUM + "\\|.*");
    private static final Pattern CJK = Pattern.compile("[\\u4e00-\\u9fff]");
    private static final Pattern LATIN = Pattern.compile("[A-Za-z]");

    // ---- the real documents -------------------------------------------------------------------------------------

    @Test
    void pinout_header_column_is_the_raspberry_pi_header_and_both_languages_agree() throws IOException {
        Map<Integer, Integer> zh = pinTable(read("pinout.md"));
        assertTrue(zh.size() >= 19, "pin table found in pinout.md");
        assertEquals(List.of(), headerProblems(zh));
        assertEquals(zh, pinTable(read("pinout.en.md")), "pinout.en.md has the same pin table as pinout.md");
        // the BCM column is what PinoutDocTest compares with the firmware: same set of pins here
        assertEquals(new TreeSet<>(Pins.DEFAULT.byKey().values()), new TreeSet<>(zh.keySet()));
    }

    @Test
    void wiring_svg_is_well_formed_and_labels_every_pin_with_its_header_pin() throws IOException {
        String svg = read("wiring.svg");
        assertEquals(List.of(), svgProblems(svg, pinTable(read("pinout.md"))));
    }

    @Test
    void power_budget_battery_covers_24_h_standby_and_30_min_alarm() throws IOException {
        Budget zh = Budget.parse(read("power-budget.md"));
        Budget en = Budget.parse(read("power-budget.en.md"));
        assertEquals(List.of(), zh.problems(), "power-budget.md");
        assertEquals(List.of(), en.problems(), "power-budget.en.md");
        assertEquals(zh.numbers(), en.numbers(), "both languages have the same load table (names aside)");
        assertEquals(zh.parameters(), en.parameters(), "both languages have the same parameters");
    }

    @Test
    void every_chinese_document_has_its_english_counterpart_and_the_index_links_them() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(DOCS)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : names) {
            texts.put(name, read(name));
        }
        assertEquals(List.of(), languageProblems(texts));
        assertTrue(names.size() >= 14, "7 documents in two languages, found " + names);
        String index = texts.get("README.md") + texts.get("README.en.md");
        for (String name : names) {
            if (!name.startsWith("README")) {
                assertTrue(index.contains("(" + name + ")"), "README links " + name);
            }
        }
        assertTrue(index.contains("(wiring.svg)"), "README links wiring.svg");
        // every relative link of every page leads to a file here
        Pattern link = Pattern.compile("\\]\\(([^)#:\\s]+)\\)");
        texts.forEach((name, text) -> link.matcher(text).results().map(m -> m.group(1))
                .forEach(target -> assertTrue(Files.isRegularFile(DOCS.resolve(target)), name + " links " + target)));
    }

    @Test
    void gpio_labels_in_every_page_are_on_the_right_header_pins() throws IOException {
        List<String> problems = new ArrayList<>();
        int labels = 0;
        try (Stream<Path> files = Files.list(DOCS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher label = GPIO_LABEL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (label.find()) {
                    labels++;
                    int bcm = Integer.parseInt(label.group(1));
                    int header = Integer.parseInt(label.group(2));
                    if (!Integer.valueOf(header).equals(HEADER.get(bcm))) {
                        problems.add(file.getFileName() + ": " + label.group() + ", the Pi has GPIO" + bcm + " on "
                                + HEADER.get(bcm));
                    }
                }
            }
        }
        assertTrue(labels >= 40, "GPIOn [m] labels found in the wiring pages: " + labels);
        assertEquals(List.of(), problems);
    }

    // ---- the checks fail on broken input ------------------------------------------------------------------------

    @Test
    void header_check_fails_on_a_wrong_header_pin() {
        assertEquals(1, headerProblems(Map.of(17, 11, 22, 16)).size());
    }

    @Test
    void svg_check_fails_on_bad_xml_a_missing_pin_and_a_wrong_header_pin() {
        Map<Integer, Integer> table = Map.of(17, 11, 22, 15);
        String ok = "<svg xmlns='http://www.w3.org/2000/svg'><text>GPIO17 [11]</text>"
                + "<text><tspan>GPIO22 [15]</tspan></text></svg>";
        assertEquals(List.of(), svgProblems(ok, table));
        assertFalse(svgProblems("<svg xmlns='http://www.w3.org/2000/svg'><text>GPIO17 [11]</svg>", table).isEmpty());
        assertFalse(svgProblems(ok.replace("GPIO22 [15]", "GPIO 22"), table).isEmpty());
        assertFalse(svgProblems(ok.replace("GPIO22 [15]", "GPIO22 [16]"), table).isEmpty());
        assertFalse(svgProblems(ok.replace("</svg>", "<text>GPIO9 [22]</text></svg>"), table).isEmpty());
    }

    @Test
    void budget_check_fails_on_a_small_battery_a_wrong_sum_or_short_hours() {
        String budget = """
                | load | V | standby A | standby duty | alarm A | alarm duty | via |
                |---|---|---|---|---|---|---|
                | pi | 5 | 1 | 1 | 1 | 1 | `buck` |
                | siren | 12 | 0 | 0 | 1 | 0.5 | `direct` |

                | key | value | meaning |
                |---|---|---|
                | `standby-hours` | 24 | |
                | `alarm-hours` | 0.5 | |
                | `buck-efficiency` | 0.8 | |
                | `battery-voltage` | 12 | |
                | `usable-fraction` | 0.8 | |
                | `ageing-factor` | 1 | |
                | `cold-factor` | 1 | |
                | `required-ah` | 16.26 | |
                | `battery-ah` | 20 | |
                """;
        // (24 h * 5 W / 0.8 + 0.5 h * (5 W / 0.8 + 6 W)) / 12 V / 0.8 = 16.26 Ah
        assertEquals(List.of(), Budget.parse(budget).problems());
        assertFalse(Budget.parse(budget.replace("| 20 |", "| 16 |")).problems().isEmpty());
        assertFalse(Budget.parse(budget.replace("| 16.26 |", "| 12 |")).problems().isEmpty());
        assertFalse(Budget.parse(budget.replace("| 24 |", "| 12 |")).problems().isEmpty());
        assertFalse(Budget.parse(budget.replace("`cold-factor`", "`cold`")).problems().isEmpty());
        assertFalse(Budget.parse("no tables at all").problems().isEmpty());
    }

    @Test
    void language_check_fails_without_a_twin_or_in_the_wrong_language() {
        String zh = "安装调试清单：按钮安装高度、箱体密封、接地和防雷。".repeat(10);
        String en = "Installation checklist: button height, sealing, earthing and surge protection.".repeat(5);
        assertEquals(List.of(), languageProblems(Map.of("a.md", zh, "a.en.md", en)));
        assertFalse(languageProblems(Map.of("a.md", zh)).isEmpty());
        assertFalse(languageProblems(Map.of("a.en.md", en)).isEmpty());
        assertFalse(languageProblems(Map.of("a.md", en, "a.en.md", en)).isEmpty());
        assertFalse(languageProblems(Map.of("a.md", zh, "a.en.md", zh)).isEmpty());
    }

    // ---- checks -------------------------------------------------------------------------------------------------

    /** BCM → header pin of the rows of a pin table ({@code | `pin.x` | BCM | header | ...}). */
    static Map<Integer, Integer> pinTable(String markdown) {
        Map<Integer, Integer> pins = new TreeMap<>();
        for (String line : markdown.split("\n")) {
            Matcher row = PIN_ROW.matcher(line.strip());
            if (row.matches()) {
                Integer earlier = pins.put(Integer.parseInt(row.group(2)), Integer.parseInt(row.group(3)));
                assertEquals(null, earlier, "GPIO " + row.group(2) + " is in the pin table twice");
            }
        }
        return pins;
    }

    static List<String> headerProblems(Map<Integer, Integer> table) {
        List<String> problems = new ArrayList<>();
        table.forEach((bcm, header) -> {
            if (!header.equals(HEADER.get(bcm))) {
                problems.add("GPIO" + bcm + " is on header pin " + HEADER.get(bcm) + ", not " + header);
            }
        });
        return problems;
    }

    /** Problems of a wiring drawing against the pin table: not XML, a pin missing, a header pin that differs. */
    static List<String> svgProblems(String svg, Map<Integer, Integer> table) {
        List<String> problems = new ArrayList<>();
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new InputSource(new StringReader(svg)));
        } catch (Exception e) {
            return List.of("wiring.svg is not well-formed XML: " + e.getMessage());
        }
        if (!"svg".equals(document.getDocumentElement().getLocalName())
                || !"http://www.w3.org/2000/svg".equals(document.getDocumentElement().getNamespaceURI())) {
            problems.add("the root element is not an SVG <svg>");
        }
        Map<Integer, Set<Integer>> labelled = new TreeMap<>();
        NodeList texts = document.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            Matcher label = GPIO_LABEL.matcher(texts.item(i).getTextContent());
            while (label.find()) {
                labelled.computeIfAbsent(Integer.parseInt(label.group(1)), k -> new TreeSet<>())
                        .add(Integer.parseInt(label.group(2)));
            }
        }
        table.forEach((bcm, header) -> {
            Set<Integer> shown = labelled.get(bcm);
            if (shown == null) {
                problems.add("GPIO" + bcm + " [" + header + "] is not in the drawing");
            } else if (!shown.equals(Set.of(header))) {
                problems.add("GPIO" + bcm + " is drawn on header pin(s) " + shown + ", the pin map says " + header);
            }
        });
        labelled.forEach((bcm, shown) -> {
            if (!shown.equals(Set.of(HEADER.getOrDefault(bcm, -1)))) {
                problems.add("GPIO" + bcm + " is labelled with header pin(s) " + shown + ", the Pi has it on "
                        + HEADER.get(bcm));
            }
        });
        return problems;
    }

    /** Each {@code x.md} (zh-CN) has {@code x.en.md} and the other way round; each is mostly in its language. */
    static List<String> languageProblems(Map<String, String> texts) {
        List<String> problems = new ArrayList<>();
        texts.forEach((name, text) -> {
            long cjk = CJK.matcher(text).results().count();
            long latin = LATIN.matcher(text).results().count();
            if (name.endsWith(".en.md")) {
                String twin = name.substring(0, name.length() - ".en.md".length()) + ".md";
                if (!texts.containsKey(twin)) {
                    problems.add(name + " has no zh-CN twin " + twin);
                }
                // the English page may quote Chinese terms, but it is English
                if (cjk * 10 > latin) {
                    problems.add(name + " is not in English (" + cjk + " CJK characters, " + latin + " letters)");
                }
            } else {
                String twin = name.substring(0, name.length() - ".md".length()) + ".en.md";
                if (!texts.containsKey(twin)) {
                    problems.add(name + " has no English twin " + twin);
                }
                // code, keys and model numbers are Latin; count Chinese characters as worth three letters
                if (cjk < 100 || cjk * 3 < latin / 2) {
                    problems.add(name + " is not in Chinese (" + cjk + " CJK characters, " + latin + " letters)");
                }
            }
        });
        return problems;
    }

    /** One row of the load table. */
    record Load(String name, double volts, double standbyAmps, double standbyDuty, double alarmAmps,
            double alarmDuty, boolean viaBuck) {
    }

    /** The power budget page: its load table and its parameters, and the arithmetic on them. */
    record Budget(List<Load> loads, Map<String, Double> parameters) {

        static final List<String> KEYS = List.of("standby-hours", "alarm-hours", "buck-efficiency",
                "battery-voltage", "usable-fraction", "ageing-factor", "cold-factor", "required-ah", "battery-ah");

        static Budget parse(String markdown) {
            List<Load> loads = new ArrayList<>();
            Map<String, Double> parameters = new TreeMap<>();
            for (String raw : markdown.split("\n")) {
                String line = raw.strip();
                Matcher load = LOAD_ROW.matcher(line);
                Matcher parameter = PARAMETER_ROW.matcher(line);
                if (load.matches()) {
                    loads.add(new Load(load.group(1).strip(), d(load.group(2)), d(load.group(3)), d(load.group(4)),
                            d(load.group(5)), d(load.group(6)), load.group(7).equals("buck")));
                } else if (parameter.matches()) {
                    parameters.put(parameter.group(1), d(parameter.group(2)));
                }
            }
            return new Budget(loads, parameters);
        }

        private static double d(String text) {
            return Double.parseDouble(text);
        }

        /** The load table without the names, which differ by language. */
        List<List<Object>> numbers() {
            return loads.stream().<List<Object>>map(l -> List.of(l.volts(), l.standbyAmps(), l.standbyDuty(),
                    l.alarmAmps(), l.alarmDuty(), l.viaBuck())).toList();
        }

        /** Average power drawn from the battery in one state, W. */
        double watts(boolean alarm) {
            double efficiency = parameters.get("buck-efficiency");
            double sum = 0;
            for (Load l : loads) {
                double w = l.volts() * (alarm ? l.alarmAmps() * l.alarmDuty() : l.standbyAmps() * l.standbyDuty());
                sum += l.viaBuck() ? w / efficiency : w;
            }
            return sum;
        }

        /** The rated capacity the battery needs, Ah, from the table's own numbers. */
        double requiredAh() {
            double wattHours = watts(false) * parameters.get("standby-hours")
                    + watts(true) * parameters.get("alarm-hours");
            return wattHours / parameters.get("battery-voltage") / parameters.get("usable-fraction")
                    / parameters.get("ageing-factor") / parameters.get("cold-factor");
        }

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (loads.size() < 2) {
                return List.of("no load table (| load | V | standby A | standby duty | alarm A | alarm duty | via |)");
            }
            for (String key : KEYS) {
                if (!parameters.containsKey(key)) {
                    problems.add("parameter `" + key + "` missing");
                }
            }
            if (!problems.isEmpty()) {
                return problems;
            }
            for (Load l : loads) {
                if (l.standbyDuty() > 1 || l.alarmDuty() > 1) {
                    problems.add(l.name() + ": a duty cycle is above 1");
                }
            }
            if (parameters.get("standby-hours") < 24) {
                problems.add("standby-hours below 24");
            }
            if (parameters.get("alarm-hours") < 0.5) {
                problems.add("alarm-hours below 0.5 (30 min)");
            }
            for (String factor : List.of("buck-efficiency", "usable-fraction", "ageing-factor", "cold-factor")) {
                if (parameters.get(factor) <= 0 || parameters.get(factor) > 1) {
                    problems.add(factor + " must be in (0, 1]");
                }
            }
            if (!problems.isEmpty()) {
                return problems;
            }
            double required = requiredAh();
            if (Math.abs(parameters.get("required-ah") - required) > 0.05) {
                problems.add(String.format(java.util.Locale.ROOT,
                        "required-ah says %.2f Ah, the table's numbers give %.2f Ah", parameters.get("required-ah"),
                        required));
            }
            if (parameters.get("battery-ah") < required) {
                problems.add(String.format(java.util.Locale.ROOT, "battery-ah %.1f Ah is below the required %.2f Ah",
                        parameters.get("battery-ah"), required));
            }
            return problems;
        }
    }

    private static String read(String name) throws IOException {
        return Files.readString(DOCS.resolve(name), StandardCharsets.UTF_8);
    }
}
