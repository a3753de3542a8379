package astra.examples.spectra;

import astra.core.FileTarget;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Visibility;
import java.nio.file.Path;
import java.util.List;

/**
 * Fits a cubic continuum to one spectrum, away from its absorption lines, and writes the spectrum
 * divided by it. Shows: a record task (every component is a parameter), {@code requires()} of a
 * class task, and {@code ctx.input()} to find the requirement's file.
 */
public record ContinuumNormalize(
        @Param(description = "Data release, e.g. dr17") String release,
        @Param(description = "Field (plate) number") int field,
        @Param(description = "Star within the field, from 1") int starId,
        @Param(description = "Directory the files are written under", defaultValue = "out", significant = false) Path outputDir,
        @Param(description = "Pipeline version, major.minor", defaultValue = Pipeline.MAJOR_MINOR,
                visibility = Visibility.HIDDEN) String pipelineVersion)
        implements Task {

    static final int DEGREE = 3;

    /** At this release's {@link Pipeline#MAJOR_MINOR}. */
    public ContinuumNormalize(String release, int field, int starId, Path outputDir) {
        this(release, field, starId, outputDir, Pipeline.MAJOR_MINOR);
    }

    @Override
    public List<SyntheticSpectrum> requires() {
        return List.of(new SyntheticSpectrum(release, field, starId, outputDir, pipelineVersion));
    }

    @Override
    public List<FileTarget> output() {
        return List.of(new FileTarget(new Star(release, pipelineVersion, field, starId).file(outputDir, "normalized")));
    }

    @Override
    public void run(TaskContext ctx) throws Exception {
        Spectrum raw = Spectrum.readCsv(((FileTarget) ctx.input().get(0)).path());
        output().get(0).writeText(normalize(raw)::writeCsv);
    }

    /** The spectrum divided by a polynomial fitted to its line-free pixels. */
    static Spectrum normalize(Spectrum raw) {
        boolean[] continuumPixels = StellarModel.continuumMask(raw.wavelength());
        Continuum.Polynomial continuum = Continuum.fit(raw.wavelength(), raw.flux(), continuumPixels, DEGREE);
        double[] normalized = new double[raw.size()];
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = raw.flux()[i] / continuum.at(raw.wavelength()[i]);
        }
        return new Spectrum(raw.wavelength(), normalized);
    }
}
