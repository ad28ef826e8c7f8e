package cn.callbox.provision;

import java.util.Map;

/**
 * One record of a registry file, before it is checked: its fields as text (a YAML list is joined with {@code ;}),
 * blank ones left out.
 *
 * @param file the file as given on the command line
 * @param line 1-based line where the record starts
 */
record Row(String file, int line, Map<String, String> values) {

    String get(String field) {
        return values.get(field);
    }

    String where() {
        return file + ":" + line;
    }
}
