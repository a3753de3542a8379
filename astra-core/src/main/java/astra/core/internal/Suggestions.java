package astra.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * "Did you mean" for misspelt names: config keys, task families, command options.
 *
 * <p>A candidate qualifies when its case-insensitive Damerau-Levenshtein distance (adjacent
 * transpositions count as one edit) to the input is at most a third of the input's length (at
 * least one), or when it contains the input as a substring and the input has at least three
 * characters, so {@code Reduce} finds {@code ReduceSpectra} although many letters are missing.
 */
public final class Suggestions {
    private static final int MIN_SUBSTRING_LENGTH = 3;

    private Suggestions() {}

    /**
     * Up to {@code max} candidates closest to {@code input}, closest first; none if nothing is
     * close. Ties go to candidates that start with the input, then contain it, then to the
     * shorter, then alphabetically, so the order is stable whatever the collection's order.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public static List<String> closest(String input, Collection<String> candidates, int max) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(candidates, "candidates");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        String needle = input.strip().toLowerCase(Locale.ROOT);
        if (needle.isEmpty() || max == 0) {
            return List.of();
        }
        int threshold = Math.max(needle.length(), 3) / 3;
        List<Match> matches = new ArrayList<>();
        for (String candidate : new LinkedHashSet<>(candidates)) {
            if (candidate == null) {
                continue;
            }
            String hay = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(needle, hay);
            int containment = hay.startsWith(needle) ? 0 : hay.contains(needle) ? 1 : 2;
            boolean substring = containment < 2 && needle.length() >= MIN_SUBSTRING_LENGTH;
            if (distance <= threshold || substring) {
                matches.add(new Match(candidate, distance, containment));
            }
        }
        return matches.stream()
                .sorted(Comparator.comparingInt(Match::distance)
                        .thenComparingInt(Match::containment)
                        .thenComparingInt(m -> m.candidate().length())
                        .thenComparing(Match::candidate))
                .limit(max)
                .map(Match::candidate)
                .toList();
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }

    private record Match(String candidate, int distance, int containment) {}
}
