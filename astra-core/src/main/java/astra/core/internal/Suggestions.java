package astra.core.internal;

import java.util.Collection;
import java.util.List;

/** SKELETON (to be implemented): "did you mean" by edit distance. */
public final class Suggestions {
    private Suggestions() {}

    /** Up to {@code max} candidates closest to {@code input}, closest first; none if nothing is close. */
    public static List<String> closest(String input, Collection<String> candidates, int max) {
        throw new UnsupportedOperationException("skeleton");
    }
}
