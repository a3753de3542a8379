package astra.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> FAMILIES =
            List.of("FitContinuum", "Normalize", "ReduceSpectrum", "ReduceSpectra", "MeasureRadialVelocity");
    private static final List<String> CORE_KEYS =
            List.of("parallel_scheduling", "parallel_scheduling_threads", "workers", "log_level");

    @Test
    void prefixFindsLongerNamesShortestFirst() {
        assertThat(Suggestions.closest("Reduce", FAMILIES, 5)).containsExactly("ReduceSpectra", "ReduceSpectrum");
    }

    @Test
    void spellingVariantIsOneEditAway() {
        assertThat(Suggestions.closest("Normalise", FAMILIES, 5)).containsExactly("Normalize");
    }

    @Test
    void missingLetterFindsTheKey() {
        assertThat(Suggestions.closest("paralel_scheduling", CORE_KEYS, 3)).containsExactly("parallel_scheduling");
    }

    @Test
    void transpositionCountsAsOneEdit() {
        assertThat(Suggestions.closest("wokrers", CORE_KEYS, 3)).containsExactly("workers");
        assertThat(Suggestions.distance("ca", "ac")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void caseIsIgnoredAndAnExactMatchComesFirst() {
        assertThat(Suggestions.closest("reducespectrum", FAMILIES, 5))
                .containsExactly("ReduceSpectrum", "ReduceSpectra");
    }

    @Test
    void substringAnywhereQualifiesButCloserSpellingsComeFirst() {
        assertThat(Suggestions.closest("Spectrum", List.of("ReduceSpectrum", "Spectrums"), 5))
                .containsExactly("Spectrums", "ReduceSpectrum");
        assertThat(Suggestions.closest("Velocity", FAMILIES, 5)).containsExactly("MeasureRadialVelocity");
    }

    @Test
    void nothingCloseGivesNothing() {
        assertThat(Suggestions.closest("xyzzy", FAMILIES, 5)).isEmpty();
        assertThat(Suggestions.closest("retries", List.of("retry_count"), 5)).isEmpty();
    }

    @Test
    void veryShortInputDoesNotMatchBySubstring() {
        assertThat(Suggestions.closest("s", List.of("status", "show"), 5)).isEmpty();
        assertThat(Suggestions.closest("re", FAMILIES, 5)).isEmpty();
    }

    @Test
    void atMostMaxAreReturned() {
        assertThat(Suggestions.closest("parallel", CORE_KEYS, 1)).containsExactly("parallel_scheduling");
        assertThat(Suggestions.closest("parallel", CORE_KEYS, 0)).isEmpty();
    }

    @Test
    void orderDoesNotDependOnTheCandidatesOrder() {
        List<String> shuffled = new ArrayList<>(FAMILIES);
        Collections.reverse(shuffled);

        assertThat(Suggestions.closest("Reduce", shuffled, 5)).containsExactly("ReduceSpectra", "ReduceSpectrum");
        // Equally distant: the one starting with the input first, then alphabetical.
        assertThat(Suggestions.closest("ab", List.of("ac", "aa", "ab "), 5)).containsExactly("ab ", "aa", "ac");
    }

    @Test
    void duplicatesAndBlankInputAreHandled() {
        assertThat(Suggestions.closest("Normalise", List.of("Normalize", "Normalize"), 5))
                .containsExactly("Normalize");
        assertThat(Suggestions.closest("  ", FAMILIES, 5)).isEmpty();
        assertThat(Suggestions.closest("Normalise", List.of(), 5)).isEmpty();
    }

    @Test
    void negativeMaxIsRejected() {
        assertThatThrownBy(() -> Suggestions.closest("x", FAMILIES, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
