package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StellarModelTest {

    private static StellarLabels roundTrip(StellarLabels truth, long seed) {
        return StellarModel.estimate(ContinuumNormalize.normalize(StellarModel.synthesize(truth, seed)));
    }

    @Test
    void estimatedTeffRisesWithInjectedTeff() {
        for (double feh : new double[] {-1.5, 0.0}) {
            List<Double> estimates = new ArrayList<>();
            for (double teff = 4000; teff <= 7000; teff += 250) {
                estimates.add(roundTrip(new StellarLabels(teff, feh, 120), 7L).teff());
            }
            assertThat(estimates).as("[Fe/H] = %s", feh).isSortedAccordingTo(Double::compare).doesNotHaveDuplicates();
        }
    }

    @Test
    void noiselessSpectraGiveBackTheInjectedLabels() {
        StellarLabels truth = new StellarLabels(5321, -0.73, Double.POSITIVE_INFINITY);
        StellarLabels estimate = roundTrip(truth, 1L);
        assertThat(estimate.teff()).isCloseTo(5321, within(2.0));
        assertThat(estimate.feh()).isCloseTo(-0.73, within(0.005));
    }

    @Test
    void noisySpectraGiveTheLabelsWithinTheirErrors() {
        StellarLabels truth = new StellarLabels(6100, -0.2, 100);
        StellarLabels estimate = roundTrip(truth, 99L);
        assertThat(estimate.teff()).isCloseTo(6100, within(200.0));
        assertThat(estimate.feh()).isCloseTo(-0.2, within(0.1));
        assertThat(estimate.snr()).isCloseTo(100, within(10.0));
    }

    @Test
    void metallicityRisesWithInjectedMetallicityAtFixedTeff() {
        double previous = Double.NEGATIVE_INFINITY;
        for (double feh = -2.0; feh <= 0.5; feh += 0.5) {
            double estimate = roundTrip(new StellarLabels(5000, feh, 150), 3L).feh();
            assertThat(estimate).isGreaterThan(previous);
            previous = estimate;
        }
    }

    @Test
    void drawingIsDeterministicAndWithinTheDocumentedRanges() {
        Star star = new Star("dr17", "1.0", 42, 7);
        assertThat(StellarModel.draw(star)).isEqualTo(StellarModel.draw(new Star("dr17", "1.0", 42, 7)));
        assertThat(StellarModel.draw(star)).isNotEqualTo(StellarModel.draw(new Star("dr17", "1.0", 42, 8)));
        assertThat(StellarModel.draw(star)).as("the same star under another version")
                .isEqualTo(StellarModel.draw(new Star("dr17", "1.1", 42, 7)));
        for (int id = 1; id <= 200; id++) {
            StellarLabels l = StellarModel.draw(new Star("dr17", "1.0", 42, id));
            assertThat(l.teff()).isBetween(4000.0, 7000.0);
            assertThat(l.feh()).isBetween(-2.0, 0.5);
            assertThat(l.snr()).isBetween(30.0, 150.0);
        }
    }

    @Test
    void theSameSeedGivesTheSameSpectrum() {
        StellarLabels truth = new StellarLabels(5000, 0, 50);
        Spectrum a = StellarModel.synthesize(truth, 5L);
        Spectrum b = StellarModel.synthesize(truth, 5L);
        assertThat(a.flux()).containsExactly(b.flux());
        assertThat(a.flux()).isNotEqualTo(StellarModel.synthesize(truth, 6L).flux());
    }
}
