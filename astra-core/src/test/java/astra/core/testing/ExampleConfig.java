package astra.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code utah.cfg.example}, read as its documentation: for the tests that keep it in step with the code. */
public final class ExampleConfig {

    /** The example documents each key as a commented-out "# key = default" line. */
    public static final Pattern DOCUMENTED_KEY = Pattern.compile("#\\s*([a-z][a-z0-9_]*)\\s*=\\s*(.*)");
    /** Commented-out headers count too, so the family example's keys are not taken for [scheduler]'s. */
    private static final Pattern HEADER = Pattern.compile("#?\\s*\\[([^\\]]+)]");

    private ExampleConfig() {}

    /** Surefire runs in the module directory; the example sits at the reactor root above it. */
    public static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("utah.cfg.example");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("utah.cfg.example not found above " + Path.of("").toAbsolutePath());
    }

    /** The documented keys and their defaults, by section. */
    public static Map<String, Map<String, String>> documentedKeys(String text) {
        Map<String, Map<String, String>> result = new HashMap<>();
        String section = null;
        for (String line : text.lines().map(String::strip).toList()) {
            Matcher header = HEADER.matcher(line);
            Matcher key = DOCUMENTED_KEY.matcher(line);
            if (header.matches()) {
                section = header.group(1);
            } else if (section != null && key.matches()) {
                result.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key.group(1), key.group(2).strip());
            }
        }
        return result;
    }
}
