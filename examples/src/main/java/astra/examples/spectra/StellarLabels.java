package astra.examples.spectra;

import java.util.Locale;

/** Effective temperature (K), metallicity [Fe/H] (dex) and signal-to-noise per pixel. */
public record StellarLabels(double teff, double feh, double snr) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Teff=%.0f K, [Fe/H]=%+.2f, S/N=%.0f", teff, feh, snr);
    }
}
