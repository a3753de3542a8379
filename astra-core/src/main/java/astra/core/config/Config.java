package astra.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SKELETON (to be implemented): the parsed, immutable utah.cfg. */
public final class Config {

    /** Finds and parses the config: explicit path, $ASTRA_CONFIG, ./utah.cfg, ~/.config/astra/utah.cfg; empty if none. */
    public static Config load(Path explicit) { throw new UnsupportedOperationException("skeleton"); }

    public static Config empty() { throw new UnsupportedOperationException("skeleton"); }

    public static Config parse(String text, String sourceName) { throw new UnsupportedOperationException("skeleton"); }

    /** The file it came from, if any. */
    public Optional<Path> source() { throw new UnsupportedOperationException("skeleton"); }

    public Optional<String> get(String section, String key) { throw new UnsupportedOperationException("skeleton"); }

    public String get(String section, String key, String defaultValue) { throw new UnsupportedOperationException("skeleton"); }

    public int getInt(String section, String key, int defaultValue) { throw new UnsupportedOperationException("skeleton"); }

    public boolean getBoolean(String section, String key, boolean defaultValue) { throw new UnsupportedOperationException("skeleton"); }

    /** A section's keys and values (interpolated); empty if absent. */
    public Map<String, String> section(String name) { throw new UnsupportedOperationException("skeleton"); }

    public Set<String> sections() { throw new UnsupportedOperationException("skeleton"); }

    /** Warnings found while parsing (unknown keys in known sections, with "did you mean"). */
    public List<String> warnings() { throw new UnsupportedOperationException("skeleton"); }
}
