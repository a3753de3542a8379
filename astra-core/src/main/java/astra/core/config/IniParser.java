package astra.core.config;

import astra.core.AstraException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns INI text into raw (not yet interpolated) sections, rejecting anything it does not
 * understand with the file and line. The rules follow Python's configparser as Luigi uses it;
 * see {@code utah.cfg.example} for the user-facing summary.
 */
final class IniParser {

    /** One {@code key = value}, with the line it starts on for error messages. */
    record RawEntry(String key, String value, int line) {}

    /** One {@code [section]} and its entries in file order. */
    record RawSection(String name, int line, Map<String, RawEntry> entries) {}

    private final String sourceName;
    private final Map<String, RawSection> sections = new LinkedHashMap<>();
    private Map<String, RawEntry> current;
    private String currentName;
    // The entry that an indented line would continue; a blank line or a header ends it.
    private PendingEntry pending;

    private IniParser(String sourceName) {
        this.sourceName = sourceName;
    }

    /** The sections of {@code text} in file order; {@code sourceName} prefixes every message. */
    static Map<String, RawSection> parse(String text, String sourceName) {
        IniParser parser = new IniParser(sourceName);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = body.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            parser.line(lines[i], i + 1);
        }
        parser.finishPending();
        return Collections.unmodifiableMap(parser.sections);
    }

    private void line(String line, int number) {
        String stripped = line.strip();
        if (stripped.isEmpty()) {
            finishPending();
            return;
        }
        if (stripped.startsWith("#") || stripped.startsWith(";")) {
            return;
        }
        int indent = indentOf(line);
        if (pending != null && indent > pending.indent) {
            pending.value.append('\n').append(stripped);
            return;
        }
        finishPending();
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
            header(stripped.substring(1, stripped.length() - 1).strip(), number);
        } else {
            keyValue(stripped, indent, number);
        }
    }

    private void header(String name, int number) {
        if (name.isEmpty()) {
            throw error(number, "empty section name '[]'");
        }
        RawSection earlier = sections.get(name);
        if (earlier != null) {
            throw error(number, "duplicate section [" + name + "] (first at line " + earlier.line() + ")");
        }
        current = new LinkedHashMap<>();
        currentName = name;
        sections.put(name, new RawSection(name, number, Collections.unmodifiableMap(current)));
    }

    private void keyValue(String stripped, int indent, int number) {
        int delimiter = firstDelimiter(stripped);
        if (stripped.startsWith("[") || delimiter < 0) {
            throw error(number, "expected 'key = value' or '[section]', got '" + stripped + "'");
        }
        String key = stripped.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            throw error(number, "missing key before '" + stripped.charAt(delimiter) + "' in '" + stripped + "'");
        }
        if (current == null) {
            throw error(number, "key '" + key + "' is outside any section (put a [section] header above it)");
        }
        RawEntry earlier = current.get(key);
        if (earlier != null) {
            throw error(number, "duplicate key '" + key + "' in [" + currentName
                    + "] (first at line " + earlier.line() + ")");
        }
        pending = new PendingEntry(key, number, indent, new StringBuilder(stripped.substring(delimiter + 1).strip()));
    }

    private void finishPending() {
        if (pending != null) {
            current.put(pending.key, new RawEntry(pending.key, pending.value.toString().strip(), pending.line));
            pending = null;
        }
    }

    /** configparser splits at whichever of {@code =} and {@code :} comes first. */
    private static int firstDelimiter(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private AstraException.BadConfig error(int line, String message) {
        return new AstraException.BadConfig(sourceName + ":" + line + ": " + message);
    }

    private static final class PendingEntry {
        final String key;
        final int line;
        final int indent;
        final StringBuilder value;

        PendingEntry(String key, int line, int indent, StringBuilder value) {
            this.key = key;
            this.line = line;
            this.indent = indent;
            this.value = value;
        }
    }
}
