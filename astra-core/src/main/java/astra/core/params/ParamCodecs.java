package astra.core.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Finds the codec of a parameter type; the string forms are documented on {@link ParamSpec#parse}. */
final class ParamCodecs {

    private ParamCodecs() {}

    private static final ParamCodec STRING = new ParamCodec() {
        @Override public String typeName() { return "String"; }
        @Override public Object parse(String text) { return text; }
        @Override public String format(Object value) { return (String) value; }
        @Override public JsonNode toJson(Object value) { return TextNode.valueOf((String) value); }
        @Override public Object fromJson(JsonNode node) {
            if (!node.isTextual()) {
                throw new BadValue(node.toString(), "is not a JSON string");
            }
            return node.textValue();
        }
    };

    private static final ParamCodec INT = new Scalar("int", "an int", Integer::valueOf,
            v -> IntNode.valueOf((Integer) v));
    private static final ParamCodec LONG = new Scalar("long", "a long", Long::valueOf,
            v -> LongNode.valueOf((Long) v));
    // JSON has no NaN or Infinity, so those few doubles are written as strings ("NaN").
    private static final ParamCodec DOUBLE = new Scalar("double", "a double", Double::valueOf,
            v -> Double.isFinite((Double) v) ? DoubleNode.valueOf((Double) v) : TextNode.valueOf(v.toString()));
    private static final ParamCodec BOOLEAN = new Scalar("boolean", "a boolean (true or false)",
            ParamCodecs::parseBoolean, v -> BooleanNode.valueOf((Boolean) v));
    private static final ParamCodec DATE = new Scalar("LocalDate", "a date (yyyy-mm-dd)", LocalDate::parse, null);
    private static final ParamCodec INSTANT = new Scalar("Instant",
            "an instant (ISO-8601, such as 2024-01-31T12:00:00Z)", ParamCodecs::parseInstant, null);
    private static final ParamCodec DURATION = new Scalar("Duration",
            "a duration (such as PT1H30M, 90s, 1h30m, 2d)", ParamCodecs::parseDuration, null);
    private static final ParamCodec PATH = new Scalar("Path", "a path", Path::of, null);

    private static final Map<Class<?>, ParamCodec> SCALARS = Map.ofEntries(
            Map.entry(String.class, STRING),
            Map.entry(int.class, INT), Map.entry(Integer.class, INT),
            Map.entry(long.class, LONG), Map.entry(Long.class, LONG),
            Map.entry(double.class, DOUBLE), Map.entry(Double.class, DOUBLE),
            Map.entry(boolean.class, BOOLEAN), Map.entry(Boolean.class, BOOLEAN),
            Map.entry(LocalDate.class, DATE),
            Map.entry(Instant.class, INSTANT),
            Map.entry(Duration.class, DURATION),
            Map.entry(Path.class, PATH));

    /** The codec of {@code type}; IllegalArgumentException with the reason if it has none. */
    static ParamCodec forType(Type type) {
        ParamCodec scalar = scalar(type);
        if (scalar != null) {
            return scalar;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && scalar(p.getActualTypeArguments()[0]) != null) {
            return new ListCodec(scalar(p.getActualTypeArguments()[0]));
        }
        return JacksonCodec.of(type);
    }

    private static ParamCodec scalar(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isEnum()) {
                @SuppressWarnings({"unchecked", "rawtypes"})
                ParamCodec codec = new EnumCodec((Class) c);
                return codec;
            }
            return SCALARS.get(c);
        }
        return null;
    }

    private static Boolean parseBoolean(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": return Boolean.TRUE;
            case "false": case "no": case "off": return Boolean.FALSE;
            default: throw new IllegalArgumentException(text);
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static final Pattern FRIENDLY_DURATION = Pattern.compile(
            "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?", Pattern.CASE_INSENSITIVE);

    private static Duration parseDuration(String text) {
        if (text.matches("(?i)[-+]?P.*")) {
            return Duration.parse(text);
        }
        Matcher m = FRIENDLY_DURATION.matcher(text.replaceAll("\\s+", ""));
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException(text);
        }
        return Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2))).plusMinutes(number(m.group(3)))
                .plusSeconds(number(m.group(4))).plusMillis(number(m.group(5)));
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    /**
     * A single-valued type read by one function; any exception from it means "not a ...". Types
     * without a JSON function are JSON strings of their canonical form.
     */
    private record Scalar(String typeName, String expected, Function<String, Object> parser,
                          Function<Object, JsonNode> json) implements ParamCodec {

        @Override
        public Object parse(String text) {
            try {
                return parser.apply(text.strip());
            } catch (RuntimeException e) {
                throw new BadValue(text, "is not " + expected);
            }
        }

        @Override
        public String format(Object value) {
            // The types here all have a canonical toString: Double's is shortest-round-trip and
            // locale-free, Instant's is UTC, Duration's is ISO-8601.
            return value.toString();
        }

        @Override
        public JsonNode toJson(Object value) {
            return json == null ? TextNode.valueOf(format(value)) : json.apply(value);
        }
    }

    /** Enum constants by name; case-insensitive when that is unambiguous. */
    private record EnumCodec(Class<? extends Enum<?>> type) implements ParamCodec {

        @Override
        public String typeName() {
            return type.getSimpleName() + " (" + constants("|") + ")";
        }

        String constants(String separator) {
            return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(separator));
        }

        @Override
        public Object parse(String text) {
            String name = text.strip();
            List<? extends Enum<?>> matches = Arrays.stream(type.getEnumConstants())
                    .filter(c -> c.name().equalsIgnoreCase(name))
                    .toList();
            for (Enum<?> c : matches) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            if (matches.size() != 1) {
                throw new BadValue(text, "is not one of " + constants(", "));
            }
            return matches.get(0);
        }

        @Override
        public String format(Object value) {
            return type.cast(value).name();
        }

        @Override
        public JsonNode toJson(Object value) {
            return TextNode.valueOf(format(value));
        }
    }
}
