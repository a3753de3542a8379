package astra.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed readings of config values; each returns empty when the text does not fit. */
final class Values {

    private static final Pattern COMPOUND_DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Values() {}

    static Optional<Integer> integer(String text) {
        try {
            return Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The spellings configparser accepts: true/false, yes/no, on/off, 1/0, any case. */
    static Optional<Boolean> bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(true);
            case "false", "no", "off", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /**
     * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, combinations such as
     * {@code 1m30s}, a bare number of seconds, or ISO-8601 such as {@code PT30S}; never negative.
     */
    static Optional<Duration> duration(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.matches("\\d+")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            }
            if (COMPOUND_DURATION.matcher(s).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = DURATION_PART.matcher(s);
                while (part.find()) {
                    total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
                }
                return Optional.of(total);
            }
            if (s.startsWith("p")) {
                Duration iso = Duration.parse(s.toUpperCase(Locale.ROOT));
                return iso.isNegative() ? Optional.empty() : Optional.of(iso);
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
