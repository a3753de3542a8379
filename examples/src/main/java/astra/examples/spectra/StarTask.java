package astra.examples.spectra;

import astra.core.Param;
import astra.core.Task;
import java.nio.file.Path;

/**
 * The parameters every per-star class task shares, declared once. Shows: a class task inherits
 * {@code @Param} fields from its superclasses (base class first), a parameter without a default
 * ({@code release}) is taken from the command line or from the family's section of utah.cfg,
 * e.g. {@code [SyntheticSpectrum] release = dr17}, and an insignificant parameter.
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

    /** For Astra, which sets the {@code @Param} fields itself. */
    protected StarTask() {}

    protected StarTask(String release, int field, int starId, Path outputDir) {
        this.release = release;
        this.field = field;
        this.starId = starId;
        this.outputDir = outputDir;
    }

    public String release() {
        return release;
    }

    public Path outputDir() {
        return outputDir;
    }

    Star star() {
        return new Star(release, field, starId);
    }
}
