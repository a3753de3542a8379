package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContinuumTest {

    private static final double[] KNOWN = {1200.0, -85.0, 14.0, 3.5};

    private static double[] grid() {
        double[] lambda = new double[1501];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 5150.0 + 0.1 * i;
        }
        return lambda;
    }

    private static double known(double lambda) {
        double x = (lambda - 5225.0) / 75.0;
        return KNOWN[0] + KNOWN[1] * x + KNOWN[2] * x * x + KNOWN[3] * x * x * x;
    }

    @Test
    void recoversAKnownCubic() {
        double[] lambda = grid();
        double[] y = Arrays.stream(lambda).map(ContinuumTest::known).toArray();
        boolean[] all = new boolean[lambda.length];
        Arrays.fill(all, true);

        Continuum.Polynomial p = Continuum.fit(lambda, y, all, 3);

        assertThat(p.centre()).isCloseTo(5225.0, within(1e-9));
        assertThat(p.halfWidth()).isCloseTo(75.0, within(1e-9));
        for (int k = 0; k < KNOWN.length; k++) {
            assertThat(p.coefficients()[k]).as("coefficient %d", k).isCloseTo(KNOWN[k], within(1e-6));
        }
        assertThat(p.at(5161.3)).isCloseTo(known(5161.3), within(1e-6));
    }

    @Test
    void ignoresMaskedPointsEvenWhenTheyAreWild() {
        double[] lambda = grid();
        double[] y = Arrays.stream(lambda).map(ContinuumTest::known).toArray();
        boolean[] use = new boolean[lambda.length];
        Arrays.fill(use, true);
        for (int i = 600; i < 700; i++) {
            y[i] = -1e6;
            use[i] = false;
        }

        Continuum.Polynomial p = Continuum.fit(lambda, y, use, 3);

        assertThat(p.at(5215.0)).isCloseTo(known(5215.0), within(1e-6));
    }

    @Test
    void aLinearFitThroughNoisyPointsIsTheLeastSquaresLine() {
        double[] x = {0, 1, 2, 3};
        double[] y = {1, 3, 2, 4};
        Continuum.Polynomial p = Continuum.fit(x, y, new boolean[] {true, true, true, true}, 1);
        // Ordinary least squares by hand: slope 0.8, intercept 1.3.
        assertThat(p.at(0)).isCloseTo(1.3, within(1e-12));
        assertThat(p.at(1) - p.at(0)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void tooFewPointsIsAClearError() {
        double[] lambda = {1, 2, 3};
        assertThatThrownBy(() -> Continuum.fit(lambda, lambda, new boolean[] {true, true, true}, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a degree-3 fit needs at least 4 points, got 3");
    }

    @Test
    void repeatedAbscissaeAreReportedAsSingular() {
        double[] lambda = {5, 5, 5, 5, 5};
        assertThatThrownBy(() -> Continuum.fit(lambda, lambda, new boolean[] {true, true, true, true, true}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("singular");
    }

    @Test
    void solvePivotsOnAZeroDiagonal() {
        double[][] a = {{0, 2}, {3, 1}};
        double[] b = {4, 5};
        assertThat(Continuum.solve(a, b)).containsExactly(new double[] {1, 2}, within(1e-12));
    }
}
