package astra.examples.spectra;

import astra.core.Param;
import astra.core.Visibility;
import astra.core.WrapperTask;
import java.nio.file.Path;
import java.util.List;

/**
 * What users run: {@code astra run ProcessField --field 42}. Shows: a {@link WrapperTask}, which
 * has nothing of its own to do and is complete when its requirements are; and a root task whose
 * parameters come from the command line ({@code field}), utah.cfg ({@code release}, and
 * {@code n_stars} if set there) or the defaults. Its requirements receive every value explicitly,
 * so config sections of the inner families only matter when one of them is run directly. Its
 * hidden {@code pipelineVersion} (see {@link Pipeline}) is passed down the same way, so every task
 * of a run shares it; {@code --pipeline-version} or {@code [ProcessField] pipeline_version}
 * forces another.
 */
public record ProcessField(
        @Param(description = "Data release, e.g. dr17; usually set once in utah.cfg") String release,
        @Param(description = "Field (plate) number") int field,
        @Param(description = "Number of stars in the field", defaultValue = "20") int nStars,
        @Param(description = "Directory the files are written under", defaultValue = "out", significant = false) Path outputDir,
        @Param(description = "Pipeline version, major.minor", defaultValue = Pipeline.MAJOR_MINOR,
                visibility = Visibility.HIDDEN) String pipelineVersion)
        implements WrapperTask {

    /** Checked here too, so a bad value on the command line fails before any graph is built. */
    public ProcessField {
        Star.checkField(release, field);
        Star.checkStarCount(nStars);
        Pipeline.checkVersion(pipelineVersion);
    }

    /** At this release's {@link Pipeline#MAJOR_MINOR}. */
    public ProcessField(String release, int field, int nStars, Path outputDir) {
        this(release, field, nStars, outputDir, Pipeline.MAJOR_MINOR);
    }

    @Override
    public List<SummarizeField> requires() {
        return List.of(new SummarizeField(release, field, nStars, outputDir, pipelineVersion));
    }
}
