package astra.examples.batch;

import java.util.SplittableRandom;

/**
 * The science of the example, small on purpose: a synthetic spectrum with one absorption line,
 * shifted by a velocity drawn from the spectrum's id, and a fit that finds the shift again.
 */
final class LineFit {

    static final int PIXELS = 400;
    /** Rest wavelength of the line (Å), and the grid's start and step. */
    static final double REST = 6562.8;
    static final double START = 6540.0;
    static final double STEP = 0.12;
    static final double C_KM_S = 299_792.458;

    record Result(double velocity, double snr) {}

    private LineFit() {}

    /** The flux of spectrum {@code specId}: the same in every run. */
    static double[] synthetic(long specId) {
        SplittableRandom random = new SplittableRandom(specId);
        double velocity = random.nextDouble(-300, 300);
        double centre = REST * (1 + velocity / C_KM_S);
        double noise = random.nextDouble(0.005, 0.05);
        double[] flux = new double[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            double offset = (START + i * STEP - centre) / 1.2;
            flux[i] = 1 - 0.6 * Math.exp(-0.5 * offset * offset) + noise * random.nextGaussian();
        }
        return flux;
    }

    /** The line's centre by the depth-weighted centroid around the deepest pixel, as a velocity. */
    static Result fit(double[] flux) {
        int deepest = 0;
        for (int i = 1; i < flux.length; i++) {
            if (flux[i] < flux[deepest]) {
                deepest = i;
            }
        }
        double weight = 0;
        double moment = 0;
        for (int i = Math.max(0, deepest - 25); i < Math.min(flux.length, deepest + 26); i++) {
            double depth = Math.max(0, 1 - flux[i]);
            weight += depth;
            moment += depth * (START + i * STEP);
        }
        double centre = moment / weight;
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int i = 0; i < 60; i++) {
            sum += flux[i];
            squares += flux[i] * flux[i];
            n++;
        }
        double mean = sum / n;
        double sigma = Math.sqrt(Math.max(0, squares / n - mean * mean));
        return new Result((centre / REST - 1) * C_KM_S, mean / sigma);
    }
}
