package astra.core.params;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a task class: its names, its type, and how its values are read from strings
 * and written canonically. Obtained from {@link TaskSchema#params()}.
 */
public final class ParamSpec {

    private final String name;
    private final String optionName;
    private final String configKey;
    private final Type type;
    private final ParamCodec codec;
    private final Param param;

    /** IllegalArgumentException if the type is not supported. */
    ParamSpec(String name, Type type, Param param) {
        this.name = name;
        this.optionName = Names.kebab(name);
        this.configKey = Names.snake(name);
        this.type = type;
        this.param = param;
        this.codec = ParamCodecs.forType(type);
    }

    /** The Java name: record component or field name, e.g. {@code minSnr}. */
    public String name() {
        return name;
    }

    /** The command-line option without dashes, kebab-case: {@code min-snr}. */
    public String optionName() {
        return optionName;
    }

    /** The config key, snake_case: {@code min_snr}. */
    public String configKey() {
        return configKey;
    }

    /**
     * The type as shown in help: {@code int}, {@code long}, {@code double}, {@code boolean},
     * {@code String}, {@code LocalDate}, {@code Instant}, {@code Duration}, {@code Path}, an enum
     * with its constants ({@code Band (G|R|I)}), {@code List<String>}, or the simple name of a
     * type read as JSON ({@code Window}, {@code Map<String, Integer>}).
     */
    public String typeName() {
        return codec.typeName();
    }

    /** The Java type of the parameter, with its type arguments. */
    public Type type() {
        return type;
    }

    /** The one-line description from {@code @Param}, or empty. */
    public String description() {
        return param == null ? "" : param.description();
    }

    /** Whether the value is part of the task id (true unless {@code @Param(significant = false)}). */
    public boolean significant() {
        return param == null || param.significant();
    }

    /** Who may see and set it: {@code @Param(visibility = ...)}, PUBLIC unless given. */
    public Visibility visibility() {
        return param == null ? Visibility.PUBLIC : param.visibility();
    }

    /** Whether tasks differing in this parameter may run in one batch ({@code @Param(batch = true)}). */
    public boolean batchable() {
        return param != null && param.batch();
    }

    /** The default as written in {@code @Param(defaultValue = ...)}, if any. */
    public Optional<String> defaultValue() {
        return param == null || Param.NO_DEFAULT.equals(param.defaultValue())
                ? Optional.empty() : Optional.of(param.defaultValue());
    }

    /**
     * Parses a command-line or config string. The forms accepted:
     *
     * <ul>
     *   <li>{@code String}: the text exactly as given (not trimmed); every other type ignores
     *       surrounding whitespace.
     *   <li>{@code int}, {@code long}: decimal, optionally signed ({@code -3}, {@code +3}).
     *   <li>{@code double}: as {@link Double#parseDouble} ({@code 1.5}, {@code 1e-3}, {@code NaN}).
     *   <li>{@code boolean}: {@code true/yes/on} or {@code false/no/off}, in any case.
     *   <li>{@code LocalDate}: ISO-8601, {@code 2024-01-31}.
     *   <li>{@code Instant}: ISO-8601 with {@code Z} or an offset, {@code 2024-01-31T12:00:00Z}
     *       or {@code 2024-01-31T14:00:00+02:00}.
     *   <li>{@code Duration}: ISO-8601 ({@code PT1H30M}, {@code P2D}) or days, hours, minutes,
     *       seconds and milliseconds in that order, each at most once: {@code 90s}, {@code 5m},
     *       {@code 1h30m}, {@code 2d}, {@code 1m30s500ms}.
     *   <li>{@code Path}: as {@link Path#of}; relative paths stay relative.
     *   <li>enums: the constant's name, in any case unless two constants differ only in case.
     *   <li>{@code List<T>} of the types above: a JSON array ({@code ["g","r"]}, {@code [1,2]})
     *       or comma-separated values, each trimmed ({@code g, r, i}); an empty string is an
     *       empty list.
     *   <li>any other type: JSON text that Jackson maps to it ({@code {"lo":1,"hi":2}}).
     * </ul>
     *
     * @throws AstraException.BadInput naming the parameter, the value and the expected type, as
     *     in {@code parameter --mjd: 'abc' is not an int}
     */
    public Object parse(String text) {
        return parse(text, "parameter --" + optionName);
    }

    /**
     * The canonical string of a value, which {@link #parse} reads back to an equal value. Equal
     * values give equal strings: doubles in their shortest form ({@code 1.5}), enums by constant
     * name, instants in UTC ({@code 2024-01-31T12:00:00Z}), durations in ISO-8601
     * ({@code PT1H30M}), lists comma-separated when every element survives that
     * ({@code g,r,i}), otherwise, and for JSON types, compact JSON with sorted keys.
     */
    public String format(Object value) {
        return codec.format(checked(value));
    }

    /** {@code --mjd (int)}, as used in messages; a private one by its Java name, which is all code knows it by. */
    String describe() {
        return visibility() == Visibility.PRIVATE
                ? name + " (" + typeName() + ", private: only code sets it)"
                : "--" + optionName() + " (" + typeName() + ")";
    }

    /** Like {@link #parse(String)}, with {@code label} in place of "parameter --name" in messages. */
    Object parse(String text, String label) {
        Objects.requireNonNull(text, "text");
        try {
            return codec.parse(text);
        } catch (BadValue e) {
            throw new AstraException.BadInput(label + ": '" + e.text() + "' " + e.reason());
        }
    }

    JsonNode toJson(Object value) {
        return codec.toJson(checked(value));
    }

    Object fromJson(JsonNode node, String label) {
        if (node.isNull()) {
            throw new AstraException.BadInput(label + ": null is not a value; leave the key out to use the default");
        }
        try {
            return codec.fromJson(node);
        } catch (BadValue e) {
            throw new AstraException.BadInput(label + ": " + e.text() + " " + e.reason());
        }
    }

    private Object checked(Object value) {
        if (value == null) {
            throw new AstraException.BadInput("parameter --" + optionName + " is null; a task parameter needs a value");
        }
        Class<?> raw = MethodType.methodType(rawClass(type)).wrap().returnType();
        if (!raw.isInstance(value)) {
            throw new IllegalArgumentException("parameter --" + optionName + ": a "
                    + value.getClass().getSimpleName() + " is not a " + typeName());
        }
        return value;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        return Object.class; // a generic array: Jackson checks its elements when writing it
    }

    @Override
    public String toString() {
        return name + ": " + typeName();
    }
}
