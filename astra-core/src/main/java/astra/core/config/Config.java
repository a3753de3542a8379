package astra.core.config;

import astra.core.AstraException;
import astra.core.internal.Suggestions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parsed, immutable {@code utah.cfg}: an INI file in the style of Luigi's {@code luigi.cfg}.
 *
 * <p>Sections are case-sensitive (besides Astra's own {@code [core]}, {@code [database]},
 * {@code [worker]} and {@code [scheduler]}, a section names a task family and gives defaults for
 * its parameters); keys are case-insensitive. Values are interpolated when the file is read:
 * {@code ${VAR}} from the environment, {@code %(key)s} from the same section or {@code [DEFAULT]},
 * {@code $$} and {@code %%} for a literal {@code $} and {@code %}. Unlike Python's configparser,
 * {@code [DEFAULT]} only feeds {@code %(key)s}: its keys are not copied into every section, where
 * they would become a parameter default for every task family, and it cannot be read as a section
 * of its own. {@code utah.cfg.example} at the
 * project root documents every key Astra reads.
 *
 * <p>Every problem is an {@link AstraException.BadConfig} naming the file and the line or key.
 */
public final class Config {

    /** The section whose keys any section's {@code %(key)s} may refer to; not readable itself. */
    public static final String DEFAULT_SECTION = "DEFAULT";

    private static final int MAX_SUGGESTIONS = 3;
    private static final Config EMPTY = new Config(null, "(no config file)", Map.of(), List.of());

    private final Path source;
    private final String sourceName;
    private final Map<String, Map<String, String>> values;
    private final List<String> warnings;

    private Config(Path source, String sourceName, Map<String, Map<String, String>> values, List<String> warnings) {
        this.source = source;
        this.sourceName = sourceName;
        this.values = values;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Finds and parses the config: {@code explicit} (from {@code --config}) if not null, else
     * {@code $ASTRA_CONFIG}, else {@code ./utah.cfg}, else {@code ~/.config/astra/utah.cfg}; empty if
     * none exists. An explicit or {@code $ASTRA_CONFIG} file that does not exist is an error.
     */
    public static Config load(Path explicit) {
        return load(explicit, System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
    }

    /**
     * {@link #load(Path)} with the environment (for {@code $ASTRA_CONFIG} and {@code ${VAR}}), the
     * working directory and the home directory given, so the lookup can be tested.
     */
    public static Config load(Path explicit, Map<String, String> env, Path workingDir, Path homeDir) {
        Objects.requireNonNull(env, "env");
        return ConfigLocator.locate(explicit, env, workingDir, homeDir)
                .map(found -> parse(ConfigLocator.read(found), found.displayName(), env, found.path()))
                .orElse(EMPTY);
    }

    /** No file: every lookup gives its default. */
    public static Config empty() {
        return EMPTY;
    }

    /** Parses {@code text}, expanding {@code ${VAR}} from the process environment. */
    public static Config parse(String text, String sourceName) {
        return parse(text, sourceName, System.getenv());
    }

    /** Parses {@code text}; {@code sourceName} names it in messages, {@code env} feeds {@code ${VAR}}. */
    public static Config parse(String text, String sourceName, Map<String, String> env) {
        return parse(text, sourceName, env, null);
    }

    private static Config parse(String text, String sourceName, Map<String, String> env, Path source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        var values = Interpolator.expand(IniParser.parse(text, sourceName), env, sourceName);
        List<String> warnings = unknownKeyWarnings(values, sourceName,
                section -> ConfigKeys.isKnownSection(section) && !ConfigKeys.isFreeForm(section)
                        ? Optional.of(ConfigKeys.keysOf(section)) : Optional.empty());
        return new Config(source, sourceName, values, warnings);
    }

    /**
     * The same config, with unknown keys of the sections {@code keys} belong to among its
     * {@linkplain #warnings() warnings} too: for a module's own section, which core does not know.
     */
    public Config withKeys(List<ConfigKeys.Key> keys) {
        Map<String, List<ConfigKeys.Key>> bySection = keys.stream()
                .collect(Collectors.groupingBy(ConfigKeys.Key::section, LinkedHashMap::new, Collectors.toList()));
        List<String> more = new ArrayList<>(warnings);
        more.addAll(unknownKeyWarnings(values, sourceName, section -> Optional.ofNullable(bySection.get(section))));
        return new Config(source, sourceName, values, more);
    }

    /** Each key of a section with known keys that is not one of them, with the closest known ones. */
    private static List<String> unknownKeyWarnings(Map<String, Map<String, String>> values, String sourceName,
            Function<String, Optional<List<ConfigKeys.Key>>> knownKeys) {
        List<String> warnings = new ArrayList<>();
        for (var section : values.entrySet()) {
            Optional<List<ConfigKeys.Key>> keys = knownKeys.apply(section.getKey());
            if (keys.isEmpty()) {
                continue;
            }
            List<String> known = keys.get().stream().map(ConfigKeys.Key::name).toList();
            for (String key : section.getValue().keySet()) {
                if (known.contains(key)) {
                    continue;
                }
                List<String> close = Suggestions.closest(key, known, MAX_SUGGESTIONS);
                String hint = close.isEmpty() ? "" : " (did you mean '" + String.join("' or '", close) + "'?)";
                warnings.add(sourceName + " [" + section.getKey() + "]: unknown key '" + key + "'" + hint);
            }
        }
        return warnings;
    }

    /** The file it came from, if any. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** How messages name the file: as given to {@code --config}, {@code utah.cfg}, or a path. */
    public String sourceName() {
        return sourceName;
    }

    /** The value of {@code key} (any case) in {@code section} (exact case), interpolated. */
    public Optional<String> get(String section, String key) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(values.getOrDefault(section, Map.of()).get(key.strip().toLowerCase(Locale.ROOT)));
    }

    /** The value, or {@code defaultValue} if the key is absent. An empty value is not absent. */
    public String get(String section, String key, String defaultValue) {
        return get(section, key).orElse(defaultValue);
    }

    /** The value as an int, or {@code defaultValue} if absent; a non-integer is a BadConfig. */
    public int getInt(String section, String key, int defaultValue) {
        return typed(section, key, defaultValue, Values::integer, "is not an integer");
    }

    /**
     * The value as a boolean ({@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}, any
     * case), or {@code defaultValue} if absent; anything else is a BadConfig.
     */
    public boolean getBoolean(String section, String key, boolean defaultValue) {
        return typed(section, key, defaultValue, Values::bool,
                "is not a boolean (use true/false, yes/no, on/off or 1/0)");
    }

    /**
     * The value as a duration, or {@code defaultValue} if absent. Accepts {@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 2h}, {@code 1d}, combinations such as {@code 1m30s}, a bare number of
     * seconds, and ISO-8601 such as {@code PT30S}; anything else, or a negative duration, is a
     * BadConfig.
     */
    public Duration getDuration(String section, String key, Duration defaultValue) {
        return typed(section, key, defaultValue, Values::duration,
                "is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1m30s or PT30S)");
    }

    /** The value of a key Astra reads, or its default as {@link ConfigKeys} documents it. */
    public String get(ConfigKeys.Key key) {
        return get(key.section(), key.name(), key.defaultValue());
    }

    /** {@link #getInt(String, String, int)} with the key's documented default. */
    public int getInt(ConfigKeys.Key key) {
        return getInt(key.section(), key.name(), Values.integer(key.defaultValue()).orElseThrow());
    }

    /** {@link #getBoolean(String, String, boolean)} with the key's documented default. */
    public boolean getBoolean(ConfigKeys.Key key) {
        return getBoolean(key.section(), key.name(), Values.bool(key.defaultValue()).orElseThrow());
    }

    /** {@link #getDuration(String, String, Duration)} with the key's documented default. */
    public Duration getDuration(ConfigKeys.Key key) {
        return getDuration(key.section(), key.name(), Values.duration(key.defaultValue()).orElseThrow());
    }

    /**
     * A duration as config values spell them ({@code 30s}, {@code 5m}, {@code 1m30s}, a bare
     * number of seconds, {@code PT30S}), for a command-line option; empty if it is none.
     */
    public static Optional<Duration> parseDuration(String text) {
        return Values.duration(text);
    }

    private <T> T typed(String section, String key, T defaultValue, Function<String, Optional<T>> reader, String problem) {
        Optional<String> text = get(section, key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return reader.apply(text.get()).orElseThrow(() -> new AstraException.BadConfig(sourceName + " [" + section
                + "] " + key.strip().toLowerCase(Locale.ROOT) + ": '" + text.get() + "' " + problem));
    }

    /** A section's keys and values (interpolated) in file order; empty if absent. */
    public Map<String, String> section(String name) {
        return values.getOrDefault(Objects.requireNonNull(name, "name"), Map.of());
    }

    /** The sections in file order, without {@code [DEFAULT]} (as in configparser). */
    public Set<String> sections() {
        return values.keySet();
    }

    /** Warnings found while parsing (unknown keys in known sections, with "did you mean"). */
    public List<String> warnings() {
        return warnings;
    }

    /** Names the file and its sections only: values may hold secrets. */
    @Override
    public String toString() {
        return "Config[" + sourceName + ", sections=" + sections() + "]";
    }
}
