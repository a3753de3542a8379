package astra.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ClaimScope} itself: which families it includes, how messages name it, what it refuses. */
class ClaimScopeTest {

    @Test
    void aScopeWithFamiliesToClaimAndFamiliesToSkipIsRefused() {
        assertThatThrownBy(() -> new ClaimScope(Set.of("Fit"), Set.of("Load")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both").hasMessageContaining("Fit").hasMessageContaining("Load");
    }

    @Test
    void onlyIncludesItsFamiliesAndExceptEveryOther() {
        ClaimScope only = ClaimScope.only(List.of("Fit", "Plot"));
        ClaimScope except = ClaimScope.except(List.of("Fit"));

        assertThat(only.includes("Fit")).isTrue();
        assertThat(only.includes("Plot")).isTrue();
        assertThat(only.includes("Load")).isFalse();
        assertThat(except.includes("Fit")).isFalse();
        assertThat(except.includes("Load")).isTrue();
        assertThat(ClaimScope.ALL.includes("Anything")).isTrue();
        assertThat(only.claimsEveryFamily()).isFalse();
        assertThat(except.claimsEveryFamily()).isFalse();
        assertThat(ClaimScope.ALL.claimsEveryFamily()).isTrue();
    }

    @Test
    void noFamiliesMeansEveryFamily() {
        assertThat(ClaimScope.only(List.of())).isEqualTo(ClaimScope.ALL);
        assertThat(ClaimScope.except(Set.of())).isEqualTo(ClaimScope.ALL);
        assertThat(ClaimScope.only(Set.of()).includes("Fit")).isTrue();
    }

    @Test
    void describeNamesTheFamiliesSorted() {
        assertThat(ClaimScope.ALL.describe()).isEqualTo("every family");
        assertThat(ClaimScope.only(List.of("Plot", "Fit")).describe()).isEqualTo("only Fit, Plot");
        assertThat(ClaimScope.except(List.of("Plot", "Fit")).describe()).isEqualTo("every family but Fit, Plot");
    }

    @Test
    void scopesOfTheSameFamiliesAreEqualWhateverTheOrderGiven() {
        assertThat(ClaimScope.only(List.of("B", "A", "B"))).isEqualTo(ClaimScope.only(Set.of("A", "B")));
        assertThat(ClaimScope.only(List.of("A"))).isNotEqualTo(ClaimScope.except(List.of("A")));
    }
}
