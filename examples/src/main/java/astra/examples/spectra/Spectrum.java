package astra.examples.spectra;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Flux sampled on a wavelength grid (Angstrom), read and written as {@code wavelength,flux} CSV. */
public record Spectrum(double[] wavelength, double[] flux) {

    public Spectrum {
        if (wavelength.length != flux.length) {
            throw new IllegalArgumentException(wavelength.length + " wavelengths but " + flux.length + " fluxes");
        }
    }

    public int size() {
        return wavelength.length;
    }

    /** Locale.ROOT: a machine whose locale writes decimal commas must still write valid CSV. */
    public void writeCsv(Writer out) throws IOException {
        out.write("wavelength,flux\n");
        for (int i = 0; i < size(); i++) {
            out.write(String.format(Locale.ROOT, "%.3f,%.8g\n", wavelength[i], flux[i]));
        }
    }

    /** Reads what {@link #writeCsv} wrote; a bad line fails with the file and line number. */
    public static Spectrum readCsv(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        int n = lines.size() - 1;
        double[] wavelength = new double[Math.max(n, 0)];
        double[] flux = new double[wavelength.length];
        for (int i = 0; i < n; i++) {
            String line = lines.get(i + 1);
            String[] cells = line.split(",");
            try {
                if (cells.length != 2) {
                    throw new NumberFormatException();
                }
                wavelength[i] = Double.parseDouble(cells[0]);
                flux[i] = Double.parseDouble(cells[1]);
            } catch (NumberFormatException e) {
                throw new IOException(path + " line " + (i + 2) + ": expected 'wavelength,flux', got '" + line + "'");
            }
        }
        return new Spectrum(wavelength, flux);
    }
}
