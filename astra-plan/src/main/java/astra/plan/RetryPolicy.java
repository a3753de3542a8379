package astra.plan;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often a failed task is tried again, and how long it waits first: {@code [scheduler]
 * retry_count} and {@code retry_delay}, and for one family its own section
 * {@code [scheduler.EstimateLabels] retry_count = 3}. A task whose worker died counts as failed.
 * The policy is written on each task's row when it is planned, so it holds whoever ends the
 * claim. Plain numbers, so it travels to child processes as JSON.
 */
public record RetryPolicy(
        int count, long delayMillis, Map<String, Integer> countByFamily, Map<String, Long> delayMillisByFamily) {

    public static final RetryPolicy NONE = new RetryPolicy(0, 0, Map.of(), Map.of());

    /** Sections {@code [scheduler.<Family>]} hold the retry policy of that family. */
    public static final String FAMILY_SECTION_PREFIX = "scheduler.";

    public RetryPolicy {
        countByFamily = Map.copyOf(countByFamily);
        delayMillisByFamily = Map.copyOf(delayMillisByFamily);
        if (count < 0 || delayMillis < 0 || countByFamily.values().stream().anyMatch(c -> c < 0)
                || delayMillisByFamily.values().stream().anyMatch(d -> d < 0)) {
            throw new AstraException.BadConfig("retry_count and retry_delay cannot be negative");
        }
    }

    /** {@code count} retries, at once, for every family. */
    public static RetryPolicy of(int count) {
        return new RetryPolicy(count, 0, Map.of(), Map.of());
    }

    /** {@code count} retries, each after {@code delay}, for every family. */
    public static RetryPolicy of(int count, Duration delay) {
        return new RetryPolicy(count, delay.toMillis(), Map.of(), Map.of());
    }

    public int count(String family) {
        return countByFamily.getOrDefault(family, count);
    }

    public Duration delay(String family) {
        return Duration.ofMillis(delayMillisByFamily.getOrDefault(family, delayMillis));
    }

    /** From {@code [scheduler]} and the {@code [scheduler.<Family>]} sections. */
    public static RetryPolicy from(Config config) {
        int count = config.getInt(ConfigKeys.RETRY_COUNT);
        long delay = config.getDuration(ConfigKeys.RETRY_DELAY).toMillis();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Long> delays = new TreeMap<>();
        for (String section : config.sections()) {
            if (section.startsWith(FAMILY_SECTION_PREFIX)) {
                String family = section.substring(FAMILY_SECTION_PREFIX.length());
                counts.put(family, config.getInt(section, "retry_count", count));
                delays.put(family, config.getDuration(section, "retry_delay", Duration.ofMillis(delay)).toMillis());
            }
        }
        return new RetryPolicy(count, delay, counts, delays);
    }
}
