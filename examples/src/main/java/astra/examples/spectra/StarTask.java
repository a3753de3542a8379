package astra.examples.spectra;

import astra.core.Param;
import astra.core.Task;
import astra.core.Visibility;
import java.nio.file.Path;

/**
 * The parameters every per-star class task shares, declared once. Shows: a class task inherits
 * {@code @Param} fields from its superclasses (base class first), a parameter without a default
 * ({@code release}) is taken from the command line or from the family's section of utah.cfg,
 * e.g. {@code [SyntheticSpectrum] release = dr17}, an insignificant parameter, and a hidden one
 * ({@code pipelineVersion}, see {@link Pipeline}).
 */
public abstract class StarTask implements Task {

    @Param(description = "Data release, e.g. dr17; usually set once in utah.cfg")
    protected String release;

    /** Insignificant: where the files go does not change what a task computes, so not its id. */
    @Param(description = "Directory the files are written under", defaultValue = "out", significant = false)
    protected Path outputDir;

    @Param(description = "Field (plate) number")
    protected int field;

    @Param(description = "Star within the field, from 1")
    protected int starId;

    /** Hidden and significant: in the id's hash, not in its readable part nor in --help. */
    @Param(description = "Pipeline version, major.minor", defaultValue = Pipeline.MAJOR_MINOR,
            visibility = Visibility.HIDDEN)
    protected String pipelineVersion;

    /** For Astra, which sets the {@code @Param} fields itself. */
    protected StarTask() {}

    protected StarTask(String release, int field, int starId, Path outputDir, String pipelineVersion) {
        this.release = release;
        this.field = field;
        this.starId = starId;
        this.outputDir = outputDir;
        this.pipelineVersion = pipelineVersion;
    }

    public String release() {
        return release;
    }

    public Path outputDir() {
        return outputDir;
    }

    public String pipelineVersion() {
        return pipelineVersion;
    }

    Star star() {
        return new Star(release, pipelineVersion, field, starId);
    }
}
