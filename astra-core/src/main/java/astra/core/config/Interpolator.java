package astra.core.config;

import astra.core.AstraException;
import astra.core.config.IniParser.RawEntry;
import astra.core.config.IniParser.RawSection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Expands {@code ${VAR}} from the environment and {@code %(key)s} from the same section or
 * {@code [DEFAULT]}; {@code $$} and {@code %%} stand for a literal {@code $} and {@code %}. A
 * {@code $} or {@code %} followed by anything else is kept as it is.
 *
 * <p>Every section is expanded when the file is read, so a missing variable or a loop is reported
 * up front with its line rather than when some code first asks for the key. {@code [DEFAULT]} is
 * the exception: it is a template whose values may refer to keys that only the sections using
 * them define, so its values are expanded where they are used, and it is not in the result.
 */
final class Interpolator {

    private final Map<String, RawSection> raw;
    private final Map<String, String> env;
    private final String sourceName;
    // Keyed by the section a reference is resolved in: a [DEFAULT] value that says %(x)s takes x
    // from whichever section asked for it, as configparser does.
    private final Map<String, Map<String, String>> memo = new HashMap<>();

    private Interpolator(Map<String, RawSection> raw, Map<String, String> env, String sourceName) {
        this.raw = raw;
        this.env = env;
        this.sourceName = sourceName;
    }

    /** Every section's values but {@code [DEFAULT]}'s, expanded, in file order. */
    static Map<String, Map<String, String>> expand(
            Map<String, RawSection> raw, Map<String, String> env, String sourceName) {
        Interpolator interpolator = new Interpolator(raw, env, sourceName);
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (RawSection section : raw.values()) {
            if (section.name().equals(Config.DEFAULT_SECTION)) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : section.entries().keySet()) {
                values.put(key, interpolator.value(section.name(), key, new ArrayList<>()));
            }
            result.put(section.name(), Collections.unmodifiableMap(values));
        }
        return Collections.unmodifiableMap(result);
    }

    private String value(String context, String key, List<String> chain) {
        String known = memo.getOrDefault(context, Map.of()).get(key);
        if (known != null) {
            return known;
        }
        String owner = ownerOf(context, key);
        RawEntry entry = raw.get(owner).entries().get(key);
        chain.add(key);
        String expanded = expandText(context, owner, entry, chain);
        chain.remove(chain.size() - 1);
        memo.computeIfAbsent(context, c -> new HashMap<>()).put(key, expanded);
        return expanded;
    }

    private String expandText(String context, String owner, RawEntry entry, List<String> chain) {
        String s = entry.value();
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if ((c == '$' && next == '$') || (c == '%' && next == '%')) {
                out.append(c);
                i += 2;
            } else if (c == '$' && next == '{') {
                int end = s.indexOf('}', i + 2);
                if (end < 0) {
                    throw error(owner, entry, "unterminated '${' (write ${VAR}, or $$ for a literal $)");
                }
                out.append(environment(s.substring(i + 2, end).strip(), owner, entry));
                i = end + 1;
            } else if (c == '%' && next == '(') {
                int end = s.indexOf(')', i + 2);
                if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != 's') {
                    throw error(owner, entry, "malformed reference in '" + s
                            + "' (write %(key)s, or %% for a literal %)");
                }
                out.append(reference(context, s.substring(i + 2, end), owner, entry, chain));
                i = end + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String environment(String name, String owner, RawEntry entry) {
        if (name.isEmpty()) {
            throw error(owner, entry, "empty variable name in '${}'");
        }
        String value = env.get(name);
        if (value == null) {
            throw error(owner, entry, "environment variable '" + name + "' is not set");
        }
        return value;
    }

    private String reference(String context, String rawName, String owner, RawEntry entry, List<String> chain) {
        String name = rawName.strip().toLowerCase(Locale.ROOT);
        if (ownerOf(context, name) == null) {
            throw error(owner, entry, "%(" + rawName + ")s names no key '" + name + "' in ["
                    + context + "] or [" + Config.DEFAULT_SECTION + "]");
        }
        if (chain.contains(name)) {
            throw error(owner, entry, "interpolation loop " + String.join(" -> ", chain) + " -> " + name);
        }
        return value(context, name, chain);
    }

    /** The section that holds {@code key} as seen from {@code context}, or null. */
    private String ownerOf(String context, String key) {
        RawSection own = raw.get(context);
        if (own != null && own.entries().containsKey(key)) {
            return context;
        }
        RawSection defaults = raw.get(Config.DEFAULT_SECTION);
        return defaults != null && defaults.entries().containsKey(key) ? Config.DEFAULT_SECTION : null;
    }

    private AstraException.BadConfig error(String owner, RawEntry entry, String message) {
        return new AstraException.BadConfig(
                sourceName + ":" + entry.line() + ": [" + owner + "] " + entry.key() + ": " + message);
    }
}
