package astra.examples.spectra;

import astra.core.FileTarget;
import astra.core.TaskContext;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws one star's labels from a seed and writes its spectrum as CSV. Shows: a class task whose
 * {@code @Param} fields are all inherited from {@link StarTask}, a
 * {@link FileTarget} written atomically, and the default {@code complete()}: the file exists.
 */
public final class SyntheticSpectrum extends StarTask {

    /** For Astra, which sets the {@code @Param} fields itself. */
    public SyntheticSpectrum() {}

    /** At this release's {@link Pipeline#MAJOR_MINOR}. */
    public SyntheticSpectrum(String release, int field, int starId, Path outputDir) {
        this(release, field, starId, outputDir, Pipeline.MAJOR_MINOR);
    }

    public SyntheticSpectrum(String release, int field, int starId, Path outputDir, String pipelineVersion) {
        super(release, field, starId, outputDir, pipelineVersion);
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
