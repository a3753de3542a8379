package astra.examples.spectra;

import astra.core.Param;
import astra.core.WrapperTask;
import java.nio.file.Path;
import java.util.List;

/**
 * What users run: {@code astra run ProcessField --field 42}. Shows: a {@link WrapperTask}, which
 * has nothing of its own to do and is complete when its requirements are; and a root task whose
 * parameters come from the command line ({@code field}), utah.cfg ({@code release}, and
 * {@code n_stars} if set there) or the defaults. Its requirements receive every value explicitly,
 * so config sections of the inner families only matter when one of them is run directly.
 */
public record ProcessField(
        @Param(description = "Data release, e.g. dr17; usually set once in utah.cfg") String release,
        @Param(description = "Field (plate) number") int field,
        @Param(description = "Number of stars in the field", defaultValue = "20") int nStars,
        @Param(description = "Directory the files are written under", defaultValue = "out", significant = false) Path outputDir)
        implements WrapperTask {

    /** Checked here too, so a bad value on the command line fails before any graph is built. */
    public ProcessField {
        Star.checkField(release, field);
        Star.checkStarCount(nStars);
    }

    @Override
    public List<SummarizeField> requires() {
        return List.of(new SummarizeField(release, field, nStars, outputDir));
    }
}
