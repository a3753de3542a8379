package astra.examples.spectra;

import astra.core.FileTarget;
import astra.core.Param;
import astra.core.TaskContext;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws one star's labels from a seed and writes its spectrum as CSV. Shows: a class task whose
 * {@code @Param} fields are its own plus two inherited from {@link ReleaseTask}, a
 * {@link FileTarget} written atomically, and the default {@code complete()}: the file exists.
 */
public final class SyntheticSpectrum extends ReleaseTask {

    @Param(description = "Field (plate) number")
    private int field;

    @Param(description = "Star within the field, from 1")
    private int starId;

    /** For Astra, which sets the {@code @Param} fields itself. */
    public SyntheticSpectrum() {}

    public SyntheticSpectrum(String release, int field, int starId, Path outputDir) {
        super(release, outputDir);
        this.field = field;
        this.starId = starId;
    }

    Star star() {
        return new Star(release, field, starId);
    }

    @Override
    public List<FileTarget> output() {
        return List.of(new FileTarget(star().file(outputDir, "spectrum")));
    }

    @Override
    public void run(TaskContext ctx) throws Exception {
        Star star = star();
        StellarLabels truth = StellarModel.draw(star);
        Spectrum spectrum = StellarModel.synthesize(truth, star.seed());
        output().get(0).writeText(spectrum::writeCsv);
        ctx.logger().debug("{}: injected {}", star, truth);
    }
}
