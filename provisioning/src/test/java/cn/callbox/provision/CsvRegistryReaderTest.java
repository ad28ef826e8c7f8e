package cn.callbox.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CsvRegistryReaderTest {

    @Test
    void reads_bom_crlf_quotes_and_line_breaks_in_quotes_with_the_line_each_record_starts_on() {
        String text = "\uFEFFid,Name\r\nxh,\"新华村, \"\"老街\"\"\"\r\n\r\nlq,\"龙泉\n村\"\r\nty,天元村";
        List<ImportError> errors = new ArrayList<>();
        List<Row> rows = CsvRegistryReader.read("villages.csv", text, Section.VILLAGES, errors);
        assertEquals(List.of(), errors);
        assertEquals(List.of(
                new Row("villages.csv", 2, Map.of("id", "xh", "name", "新华村, \"老街\"")),
                new Row("villages.csv", 4, Map.of("id", "lq", "name", "龙泉\n村")),
                new Row("villages.csv", 6, Map.of("id", "ty", "name", "天元村"))), rows);
    }

    @Test
    void header_names_may_be_snake_or_kebab_case_and_village_stands_for_village_id() {
        List<ImportError> errors = new ArrayList<>();
        List<Row> rows = CsvRegistryReader.read("units.csv", "ID,name,village_id,home-point\nu1,单元,v1,p1\n",
                Section.UNITS, errors);
        assertEquals(List.of(), errors);
        assertEquals(Map.of("id", "u1", "name", "单元", "villageId", "v1", "homePoint", "p1"), rows.get(0).values());
    }

    @Test
    void a_row_with_too_many_fields_and_a_missing_column_are_errors() {
        List<ImportError> errors = new ArrayList<>();
        CsvRegistryReader.read("villages.csv", "id,name\nxh,新华村,extra\n", Section.VILLAGES, errors);
        assertEquals(List.of(new ImportError("villages.csv", 2, "csv-syntax", "the row has 3 fields, the header 2")),
                errors);
        errors.clear();
        CsvRegistryReader.read("villages.csv", "id\nxh\n", Section.VILLAGES, errors);
        assertEquals("villages.csv:1: required-column: column 'name' is missing; the columns are id,name",
                errors.get(0).toString());
    }
}
