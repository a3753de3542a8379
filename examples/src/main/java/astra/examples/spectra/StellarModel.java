package astra.examples.spectra;

import java.util.Random;

/**
 * A toy model of a stellar spectrum near the Mg b triplet, and its inverse. Forward and inverse
 * live together because the estimator is only right if it matches the model exactly.
 *
 * <p>Two Fe I lines carry the labels. Their depths scale with metallicity, but with opposite
 * temperature dependence (low vs high excitation potential), so their ratio gives Teff
 * independently of [Fe/H], and their summed equivalent width then gives [Fe/H].
 */
public final class StellarModel {

    static final double START = 5150.0;
    static final double END = 5300.0;
    static final double STEP = 0.1;
    static final double LINE_SIGMA = 0.5;
    static final double FE_LOW_EXCITATION = 5225.53;
    static final double FE_HIGH_EXCITATION = 5242.49;
    static final double[] MG_B = {5167.32, 5172.68, 5183.60};
    static final double[] ALL_LINES = {MG_B[0], MG_B[1], MG_B[2], FE_LOW_EXCITATION, FE_HIGH_EXCITATION};
    /** Pixels this close to a line centre are line, not continuum. */
    static final double LINE_WINDOW = 4 * LINE_SIGMA;
    private static final double T_MIN = 4000.0;
    private static final double T_RANGE = 3000.0;
    /** Summed equivalent width (Angstrom) of the two Fe I lines at [Fe/H] = 0. */
    private static final double SOLAR_EQUIVALENT_WIDTH = 1.8 * metalStrength(0.0) * LINE_SIGMA * Math.sqrt(2 * Math.PI);

    private StellarModel() {}

    /** The labels injected into a star: uniform in Teff 4000–7000 K, [Fe/H] −2–+0.5, S/N 30–150. */
    public static StellarLabels draw(Star star) {
        Random random = new Random(star.seed());
        return new StellarLabels(T_MIN + T_RANGE * random.nextDouble(), -2.0 + 2.5 * random.nextDouble(),
                30.0 + 120.0 * random.nextDouble());
    }

    /** A spectrum with the given labels, on a sloped continuum, with Gaussian noise at its S/N. */
    public static Spectrum synthesize(StellarLabels labels, long seed) {
        // Not Random(seed): draw() uses that stream for the labels, and the continuum must not echo them.
        Random random = new Random(~seed);
        double t = (labels.teff() - T_MIN) / T_RANGE;
        double m = metalStrength(labels.feh());
        double level = 500 + 1500 * random.nextDouble();
        double slope = 0.1 - 0.3 * t; // hotter stars are bluer
        double curvature = 0.1 * (random.nextDouble() - 0.5);
        int n = (int) Math.round((END - START) / STEP) + 1;
        double[] wavelength = new double[n];
        double[] flux = new double[n];
        for (int i = 0; i < n; i++) {
            double lambda = START + i * STEP;
            double x = (2 * lambda - START - END) / (END - START);
            double continuum = level * (1 + slope * x + curvature * x * x);
            double absorption = m * (1.2 - 0.6 * t) * profile(lambda, FE_LOW_EXCITATION)
                    + m * (0.6 + 0.6 * t) * profile(lambda, FE_HIGH_EXCITATION);
            for (double mg : MG_B) {
                absorption += 1.5 * m * profile(lambda, mg);
            }
            wavelength[i] = lambda;
            flux[i] = continuum * (1 - absorption) + continuum / labels.snr() * random.nextGaussian();
        }
        return new Spectrum(wavelength, flux);
    }

    /** Estimates the labels from a continuum-normalized spectrum. */
    public static StellarLabels estimate(Spectrum normalized) {
        double low = depth(normalized, FE_LOW_EXCITATION);
        double high = depth(normalized, FE_HIGH_EXCITATION);
        if (low <= 0 || high <= 0) {
            throw new IllegalStateException("Fe I lines not detected (depths " + low + ", " + high + "): cannot estimate Teff");
        }
        double ratio = high / low; // (0.6 + 0.6t) / (1.2 - 0.6t), solved for t
        double t = (2 * ratio - 1) / (1 + ratio);
        double equivalentWidth = (low + high) * LINE_SIGMA * Math.sqrt(2 * Math.PI);
        double feh = Math.log10(equivalentWidth / SOLAR_EQUIVALENT_WIDTH) / 0.3;
        return new StellarLabels(T_MIN + T_RANGE * t, feh, continuumSnr(normalized));
    }

    /** Whether each pixel is continuum, i.e. outside every line's window. */
    public static boolean[] continuumMask(double[] wavelength) {
        boolean[] use = new boolean[wavelength.length];
        for (int i = 0; i < wavelength.length; i++) {
            use[i] = true;
            for (double line : ALL_LINES) {
                use[i] &= Math.abs(wavelength[i] - line) > LINE_WINDOW;
            }
        }
        return use;
    }

    /** Metal lines deepen by a factor 2 per dex of [Fe/H]. */
    private static double metalStrength(double feh) {
        return 0.3 * Math.pow(10, 0.3 * feh);
    }

    private static double profile(double lambda, double centre) {
        double z = (lambda - centre) / LINE_SIGMA;
        return Math.exp(-0.5 * z * z);
    }

    /** Least-squares depth of a line of known centre and width: the optimal linear estimate in white noise. */
    private static double depth(Spectrum normalized, double centre) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < normalized.size(); i++) {
            if (Math.abs(normalized.wavelength()[i] - centre) <= LINE_WINDOW) {
                double g = profile(normalized.wavelength()[i], centre);
                num += g * (1 - normalized.flux()[i]);
                den += g * g;
            }
        }
        return num / den;
    }

    private static double continuumSnr(Spectrum normalized) {
        boolean[] use = continuumMask(normalized.wavelength());
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int i = 0; i < use.length; i++) {
            if (use[i]) {
                double r = normalized.flux()[i] - 1;
                sum += r;
                sumSq += r * r;
                n++;
            }
        }
        double variance = (sumSq - sum * sum / n) / (n - 1);
        return 1 / Math.sqrt(variance);
    }
}
