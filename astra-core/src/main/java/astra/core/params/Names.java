package astra.core.params;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Spellings of parameter names, and the edit distance behind "did you mean". */
final class Names {

    private Names() {}

    /** {@code minSnr}, {@code min_snr}, {@code maxSNR} → {@code min-snr}, {@code min-snr}, {@code max-snr}. */
    static String kebab(String javaName) {
        return String.join("-", words(javaName));
    }

    static String snake(String javaName) {
        return String.join("_", words(javaName));
    }

    /** Lower-case words; an acronym is one word ({@code HTTPServer} → http, server); digits stay attached. */
    static List<String> words(String name) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '-') {
                flush(words, word);
                continue;
            }
            if (Character.isUpperCase(c) && word.length() > 0) {
                char prev = name.charAt(i - 1);
                boolean acronymEnds = Character.isUpperCase(prev)
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (!Character.isUpperCase(prev) || acronymEnds) {
                    flush(words, word);
                }
            }
            word.append(c);
        }
        flush(words, word);
        return words;
    }

    private static void flush(List<String> words, StringBuilder word) {
        if (word.length() > 0) {
            // Locale.ROOT: under a Turkish default locale "I".toLowerCase() is a dotless i.
            words.add(word.toString().toLowerCase(Locale.ROOT));
            word.setLength(0);
        }
    }

    /** Up to {@code max} candidates close enough to {@code input} to be a typo of it, closest first. */
    static List<String> closest(String input, Collection<String> candidates, int max) {
        int limit = Math.max(2, input.length() / 3);
        return candidates.stream()
                .filter(c -> distance(input, c) <= limit)
                .sorted(Comparator.comparingInt((String c) -> distance(input, c)).thenComparing(c -> c))
                .limit(max)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
