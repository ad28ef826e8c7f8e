package cn.callbox.provision;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one registry CSV file: UTF-8 (a byte-order mark is skipped), comma-separated, a header row naming the
 * columns, fields in double quotes where they hold commas, quotes ({@code ""}) or line breaks (RFC 4180). Blank lines
 * are skipped. Problems go to the error list with their line; rows of a file with a broken header are not returned.
 */
final class CsvRegistryReader {

    private CsvRegistryReader() {
    }

    /** One CSV record and the line it starts on. */
    private record Record(int line, List<String> fields) {
    }

    static List<Row> read(String file, String text, Section section, List<ImportError> errors) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Record> records = parse(file, text, errors);
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            errors.add(new ImportError(file, 1, "required-column", "the file is empty; its header row is "
                    + section.columns()));
            return rows;
        }
        Record header = records.get(0);
        List<String> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean broken = false;
        for (String name : header.fields()) {
            String field = section.field(name);
            if (field == null) {
                errors.add(new ImportError(file, header.line(), "unknown-column", "column '" + name.strip()
                        + "' is not one of " + section.columns()));
                broken = true;
            } else if (!seen.add(field)) {
                errors.add(new ImportError(file, header.line(), "unknown-column", "column '" + field
                        + "' is there twice"));
                broken = true;
            }
            fields.add(field);
        }
        for (String required : section.required()) {
            if (!seen.contains(required)) {
                errors.add(new ImportError(file, header.line(), "required-column", "column '" + required
                        + "' is missing; the columns are " + section.columns()));
                broken = true;
            }
        }
        if (broken) {
            return rows;
        }
        for (Record record : records.subList(1, records.size())) {
            if (record.fields().size() != fields.size()) {
                errors.add(new ImportError(file, record.line(), "csv-syntax", "the row has " + record.fields().size()
                        + " fields, the header " + fields.size()));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                String value = record.fields().get(i).strip();
                if (!value.isEmpty()) {
                    values.put(fields.get(i), value);
                }
            }
            rows.add(new Row(file, record.line(), values));
        }
        return rows;
    }

    private static List<Record> parse(String file, String text, List<ImportError> errors) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.toString().isBlank() && !wasQuoted) {
                    field.setLength(0);
                    quoted = true;
                    wasQuoted = true;
                } else {
                    errors.add(new ImportError(file, line, "csv-syntax", "a quote inside an unquoted field; quote the"
                            + " whole field and double the quotes in it"));
                    return records;
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                addRecord(records, recordLine, fields);
                fields = new ArrayList<>();
                field.setLength(0);
                wasQuoted = false;
                line++;
                recordLine = line;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) {
                    errors.add(new ImportError(file, line, "csv-syntax", "text after a closing quote"));
                    return records;
                }
                field.append(c);
            }
            i++;
        }
        if (quoted) {
            errors.add(new ImportError(file, recordLine, "csv-syntax", "a quoted field is not closed"));
            return records;
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            addRecord(records, recordLine, fields);
        }
        return records;
    }

    private static void addRecord(List<Record> records, int line, List<String> fields) {
        boolean blank = fields.stream().allMatch(String::isBlank);
        if (!blank) {
            records.add(new Record(line, fields));
        }
    }
}
