package astra.core.params;

import java.util.Optional;

/** SKELETON (to be implemented): one parameter of a task class. */
public final class ParamSpec {

    /** The Java name: record component or field name, e.g. {@code minSnr}. */
    public String name() { throw new UnsupportedOperationException("skeleton"); }

    /** The command-line option without dashes, kebab-case: {@code min-snr}. */
    public String optionName() { throw new UnsupportedOperationException("skeleton"); }

    /** The config key, snake_case: {@code min_snr}. */
    public String configKey() { throw new UnsupportedOperationException("skeleton"); }

    /** The type as shown in help: {@code int}, {@code LocalDate}, {@code List<String>}, {@code enum (A|B)}. */
    public String typeName() { throw new UnsupportedOperationException("skeleton"); }

    public String description() { throw new UnsupportedOperationException("skeleton"); }

    public boolean significant() { throw new UnsupportedOperationException("skeleton"); }

    /** The default as written in {@code @Param(defaultValue = ...)}, if any. */
    public Optional<String> defaultValue() { throw new UnsupportedOperationException("skeleton"); }

    /** Parses a command-line/config string; BadInput naming the parameter, value and expected type. */
    public Object parse(String text) { throw new UnsupportedOperationException("skeleton"); }

    /** Canonical string form of a value, the same as {@link #parse} accepts. */
    public String format(Object value) { throw new UnsupportedOperationException("skeleton"); }
}
