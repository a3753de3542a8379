package astra.examples.spectra;

import astra.core.FileTarget;
import astra.core.SetCompleteTask;
import astra.core.TaskContext;
import astra.core.db.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * Measures Teff, [Fe/H] and S/N of one star and stores them in {@code example_stellar_labels_v}
 * through {@code ctx.db()}. Shows: a task whose result is a database row, not a file, so its
 * {@code complete()} asks the database whether the row exists; a {@link SetCompleteTask}, so that
 * the scheduler asks that of a thousand stars with one query ({@link #completeEach}) instead of a
 * thousand; and an upsert keyed by the task's inputs, so running it again replaces the row
 * instead of adding a second one.
 */
public final class EstimateLabels extends StarTask implements SetCompleteTask<EstimateLabels> {

    /** For Astra, which sets the {@code @Param} fields itself. */
    public EstimateLabels() {}

    /** At this release's {@link Pipeline#MAJOR_MINOR}. */
    public EstimateLabels(String release, int field, int starId, Path outputDir) {
        this(release, field, starId, outputDir, Pipeline.MAJOR_MINOR);
    }

    public EstimateLabels(String release, int field, int starId, Path outputDir, String pipelineVersion) {
        super(release, field, starId, outputDir, pipelineVersion);
    }

    @Override
    public List<ContinuumNormalize> requires() {
        return List.of(new ContinuumNormalize(release, field, starId, outputDir, pipelineVersion));
    }

    /**
     * Complete when the star's row exists in the results table, whoever wrote it. There is no
     * {@code TaskContext} here: {@link Database#current()} is this process's database.
     */
    @Override
    public boolean complete() {
        return LabelsTable.contains(Database.current().dsl(), star());
    }

    /** {@link #complete()} for many stars at once: the scheduler's way, one query per field. */
    @Override
    public List<Boolean> completeEach(List<EstimateLabels> tasks) {
        Set<Star> done = LabelsTable.containedAmong(Database.current().dsl(), tasks.stream().map(StarTask::star).toList());
        return tasks.stream().map(t -> done.contains(t.star())).toList();
    }

    @Override
    public void run(TaskContext ctx) throws Exception {
        ctx.setStatus("measuring Fe I lines of star " + starId);
        Spectrum normalized = Spectrum.readCsv(((FileTarget) ctx.input().get(0)).path());
        StellarLabels labels = StellarModel.estimate(normalized);
        DSLContext db = ctx.db();
        LabelsTable.create(db);
        LabelsTable.upsert(db, star(), labels, ctx.taskId());
        ctx.logger().info("{}: {}", star(), labels);
    }
}
