package astra.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineFitTest {

    @Test
    void theFitFindsTheVelocityTheSpectrumWasMadeWith() {
        for (long id = 1; id <= 50; id++) {
            double made = new SplittableRandom(id).nextDouble(-300, 300);
            LineFit.Result fit = LineFit.fit(LineFit.synthetic(id));
            assertThat(fit.velocity()).as("spectrum " + id).isCloseTo(made, within(15.0));
            assertThat(fit.snr()).isGreaterThan(10);
        }
    }

    @Test
    void aSpectrumIsTheSameInEveryRun() {
        assertThat(LineFit.synthetic(42)).containsExactly(LineFit.synthetic(42));
    }
}
