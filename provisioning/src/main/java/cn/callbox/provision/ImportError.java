package cn.callbox.provision;

/**
 * One broken rule of an import, printed {@code FILE:LINE: rule: text}.
 *
 * @param rule kebab-case name, the hub's where it checks the same ({@code min-on-duty}, {@code known-reference})
 */
record ImportError(String file, int line, String rule, String text) {

    static ImportError at(Row row, String rule, String text) {
        return new ImportError(row.file(), row.line(), rule, text);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + rule + ": " + text;
    }
}
