package astra.examples.spectra;

import astra.core.FileTarget;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Visibility;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes {@code summary.csv} with the labels of every star of a field, read back from the
 * database. Shows: fan-in (one requirement per star), reading results that a requirement wrote to
 * the database rather than to a file, progress reporting, and an atomic write that leaves no
 * partial summary if a row turns out to be missing.
 */
public record SummarizeField(
        @Param(description = "Data release, e.g. dr17") String release,
        @Param(description = "Field (plate) number") int field,
        @Param(description = "Number of stars in the field", defaultValue = "20") int nStars,
        @Param(description = "Directory the files are written under", defaultValue = "out", significant = false) Path outputDir,
        @Param(description = "Pipeline version, major.minor", defaultValue = Pipeline.MAJOR_MINOR,
                visibility = Visibility.HIDDEN) String pipelineVersion)
        implements Task {

    public SummarizeField {
        Star.checkField(release, field);
        Star.checkStarCount(nStars);
        Pipeline.checkVersion(pipelineVersion);
    }

    /** At this release's {@link Pipeline#MAJOR_MINOR}. */
    public SummarizeField(String release, int field, int nStars, Path outputDir) {
        this(release, field, nStars, outputDir, Pipeline.MAJOR_MINOR);
    }

    @Override
    public List<EstimateLabels> requires() {
        return IntStream.rangeClosed(1, nStars).mapToObj(id -> new EstimateLabels(release, field, id, outputDir, pipelineVersion)).toList();
    }

    @Override
    public List<FileTarget> output() {
        return List.of(new FileTarget(Star.fieldDir(outputDir, release, pipelineVersion, field).resolve("summary.csv")));
    }

    @Override
    public void run(TaskContext ctx) throws Exception {
        ctx.setStatus("summarizing " + nStars + " stars of field " + field);
        Map<Integer, StellarLabels> rows = LabelsTable.read(ctx.db(), release, pipelineVersion, field, nStars);
        output().get(0).writeText(out -> {
            out.write("star_id,teff,fe_h,snr\n");
            for (int id = 1; id <= nStars; id++) {
                StellarLabels l = rows.get(id);
                if (l == null) {
                    throw new IllegalStateException("no row for star " + id + " of field " + field + " (" + release
                            + ", version " + pipelineVersion + ") in " + LabelsTable.NAME
                            + "; was it deleted after EstimateLabels ran?");
                }
                out.write(String.format(Locale.ROOT, "%d,%.1f,%.3f,%.1f\n", id, l.teff(), l.feh(), l.snr()));
                ctx.setProgress((double) id / nStars);
            }
        });
        double meanTeff = rows.values().stream().mapToDouble(StellarLabels::teff).average().orElseThrow();
        double meanFeh = rows.values().stream().mapToDouble(StellarLabels::feh).average().orElseThrow();
        ctx.logger().info(String.format(Locale.ROOT, "field %d: %d stars, mean Teff %.0f K, mean [Fe/H] %+.2f",
                field, nStars, meanTeff, meanFeh));
    }
}
