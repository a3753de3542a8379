package astra.bench;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Small statistics over a case's runs. */
final class Stats {

    private Stats() {}

    static double median(Collection<? extends Number> values) {
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    static double min(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    /** "2.31–2.52 s" for several runs, empty for one. */
    static String range(List<Double> seconds) {
        return seconds.size() < 2 ? "" : String.format(Locale.ROOT, "runs %.2f–%.2f s", min(seconds), max(seconds));
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
