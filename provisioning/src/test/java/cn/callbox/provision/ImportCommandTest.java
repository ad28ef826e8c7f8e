package cn.callbox.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ImportCommandTest extends AgainstFakeHub {

    static final String COUNTS = "{\"villages\":1,\"points\":1,\"units\":1,\"members\":5,\"dutyPatterns\":7}";
    static final List<String> CSV = List.of("villages.csv", "points.csv", "units.csv", "members.csv", "duty.csv");

    @Test
    void csv_registry_is_checked_and_sent_as_the_hubs_import_body() throws Exception {
        hub.answer("POST /api/registry/import", 200, COUNTS);
        Cli cli = importFiles(files("good", CSV));
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("imported: 1 villages, 1 points, 1 units, 5 members, 7 duty days", cli.lastLine());
        assertEquals(1, hub.requests().size());
        assertEquals("/api/registry/import", hub.requests().get(0).path());
        assertEquals("POST", hub.requests().get(0).method());
        assertEquals(HubClient.JSON.readTree(BoxCommandsTest.golden("import-body.json")),
                HubClient.JSON.readTree(hub.requests().get(0).body()));
    }

    @Test
    void yaml_registry_gives_the_same_body_as_the_csv_files() throws Exception {
        hub.answer("POST /api/registry/import", 200, COUNTS);
        Cli cli = importFiles(files("good", List.of("registry.yaml")));
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(HubClient.JSON.readTree(BoxCommandsTest.golden("import-body.json")),
                HubClient.JSON.readTree(hub.requests().get(0).body()));
    }

    @Test
    void csv_errors_name_file_line_and_rule_and_nothing_is_sent() throws Exception {
        List<Path> files = files("bad", CSV);
        Cli cli = importFiles(files);
        assertEquals(2, cli.exitCode, cli.toString());
        String folder = files.get(0).getParent() + "/";
        assertEquals(BoxCommandsTest.golden("csv-errors.txt"), cli.err.replace(folder, ""));
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void broken_csv_and_yaml_syntax_is_reported_with_its_line() throws Exception {
        Path villages = write("villages.csv", "id,name,mayor\nxh,新华村,x\n");
        Cli header = importFiles(List.of(villages));
        assertEquals(2, header.exitCode, header.toString());
        assertTrue(header.err.startsWith(villages + ":1: unknown-column: column 'mayor' is not one of id,name\n"),
                header.err);

        Path points = write("points.csv", "id,village,name,kind,lat,lon,unit\np1,xh,\"集市,1,grid,30,108,u1\n");
        Cli quote = importFiles(List.of(points));
        assertEquals(2, quote.exitCode, quote.toString());
        assertTrue(quote.err.startsWith(points + ":2: csv-syntax: a quoted field is not closed\n"), quote.err);

        Path yaml = write("registry.yml", "villages:\n  - {id: xh, name: 新华村}\n  - id: [unclosed\nunits: []\n");
        Cli yamlCli = importFiles(List.of(yaml));
        assertEquals(2, yamlCli.exitCode, yamlCli.toString());
        assertTrue(yamlCli.err.startsWith(yaml + ":4: yaml-syntax: "), yamlCli.err);

        Path unknown = write("people.csv", "id\n");
        Cli name = importFiles(List.of(unknown));
        assertEquals(2, name.exitCode, name.toString());
        assertTrue(name.err.contains("a registry file is villages.csv"), name.err);

        Path latin1 = dir.resolve("members.csv");
        Files.write(latin1,
                "id,unit,name,role,resident\nm1,u1,Jos\u00e9,x,yes\n".getBytes(StandardCharsets.ISO_8859_1));
        Cli encoding = importFiles(List.of(latin1));
        assertEquals(2, encoding.exitCode, encoding.toString());
        assertTrue(encoding.err.contains("is not UTF-8 text"), encoding.err);
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void hub_errors_are_printed_at_the_line_they_came_from_and_exit_1() throws Exception {
        hub.answer("POST /api/registry/import", 422, """
                {"type":"urn:callbox:problem:registry-import","title":"Registry import refused","status":422,\
                "detail":"1 error(s)","errors":[{"path":"members[2].id","rule":"unique-id",\
                "text":"member xh-m3: ids are unique; it is registered already"},\
                {"path":"villages","rule":"week-complete","text":"odd"}]}""");
        List<Path> files = files("good", CSV);
        Cli cli = importFiles(files);
        assertEquals(1, cli.exitCode, cli.toString());
        String folder = files.get(0).getParent() + "/";
        assertEquals("members.csv:4: unique-id: member xh-m3: ids are unique; it is registered already"
                + " [members[2].id]\n"
                + "villages.csv:2: week-complete: odd [villages]\n"
                + "error: the hub refused the import (HTTP 422): 2 problems; nothing was imported\n",
                cli.err.replace(folder, ""));
    }

    @Test
    void yaml_rule_errors_name_the_line_of_the_item() throws Exception {
        Path yaml = write("registry.yaml", """
                duty:
                  - {unit: u1, day: MONDAY, leader: m1, onDuty: [m2, m3]}
                  - unit: u1
                    day: TUESDAY
                    leader: m1
                    onDuty: [m2]
                """);
        Cli cli = importFiles(List.of(yaml));
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.err.contains(yaml + ":3: min-on-duty: a duty day has at least 3 members on duty, the leader"
                + " included (DOMAIN.md §4.2); this one has 2\n"), cli.err);
        assertTrue(cli.err.contains(yaml + ":2: week-complete: "), cli.err);
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void import_when_the_hub_is_down_exits_3() throws Exception {
        String url = hub.url();
        hub.close();
        List<String> args = new ArrayList<>(List.of("import", "--hub", url, "--admin-password-file",
                password.toString()));
        files("good", CSV).forEach(f -> args.add(f.toString()));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(3, cli.exitCode, cli.toString());
    }

    private Cli importFiles(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("import", "--hub", hub.url(), "--admin-password-file",
                password.toString()));
        files.forEach(f -> args.add(f.toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Path> files(String folder, List<String> names) throws URISyntaxException {
        Path base = Path.of(ImportCommandTest.class.getResource("/registry/" + folder).toURI());
        return names.stream().map(base::resolve).toList();
    }

    static JsonNode json(String text) throws IOException {
        return HubClient.JSON.readTree(text);
    }
}
