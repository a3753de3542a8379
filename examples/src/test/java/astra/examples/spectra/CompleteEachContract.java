package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.testing.DatabaseExtension;
import astra.plan.GraphPlanner;
import astra.plan.NodeStatus;
import astra.plan.RetryPolicy;
import astra.plan.TaskGraph;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.RunOutcome;
import astra.scheduler.Scheduler;
import astra.scheduler.SchedulerOptions;
import astra.worker.WorkerPoolFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EstimateLabels' set-based completeness against its per-task {@code complete()}, on a field the
 * real scheduler ran (worker threads, to stay quick); one subclass per database.
 */
abstract class CompleteEachContract {

    private static final int STARS = 30;

    @TempDir
    Path dir;

    private Database database;
    private Path out;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
        out = dir.resolve("out");
    }

    private ExecutionSummary run(SchedulerOptions options, List<? extends Task> roots) throws InterruptedException {
        ExecutionSummary summary = new Scheduler(database, options,
                WorkerPoolFactory.threads(2, getClass().getClassLoader())).run(List.copyOf(roots), "test");
        assertThat(summary.outcome()).as(summary.render()).isEqualTo(RunOutcome.SUCCESS);
        return summary;
    }

    private EstimateLabels star(String release, String version, int field, int starId) {
        return new EstimateLabels(release, field, starId, out, version);
    }

    /** Stars 1..n of field 42, release dr17, version 1.0. */
    private List<EstimateLabels> field42(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> star("dr17", "1.0", 42, i)).toList();
    }

    @Test
    void completeEachAgreesWithCompleteOnARunFieldWithRowsMissing() throws Exception {
        List<EstimateLabels> asked = Stream.concat(field42(STARS + 1).stream(), Stream.of(
                star("dr17", "1.0", 43, 1), star("dr17", "1.1", 42, 5), star("dr19", "1.0", 42, 5))).toList();
        assertThat(asked.get(0).completeEach(asked)).as("before the table exists").containsOnly(false).hasSize(asked.size());

        run(SchedulerOptions.SERIAL, List.of(new ProcessField("dr17", 42, STARS, out)));
        database.dsl().deleteFrom(LabelsTable.TABLE).where(LabelsTable.STAR_ID.in(3, 17)).execute();

        List<Boolean> perTask = asked.stream().map(EstimateLabels::complete).toList();
        assertThat(asked.get(0).completeEach(asked)).isEqualTo(perTask);
        assertThat(perTask.subList(0, STARS)).containsOnly(true, false).filteredOn(b -> !b).hasSize(2);
        assertThat(perTask.get(2)).as("star 3").isFalse();
        assertThat(perTask.get(16)).as("star 17").isFalse();
        assertThat(perTask.subList(STARS, asked.size())).as("star 31, field 43, version 1.1, dr19").containsOnly(false);
    }

    @Test
    void theGraphWalkFindsWhatCompleteFindsAndOnlyTheMissingStarsRunAgain() throws Exception {
        run(SchedulerOptions.SERIAL, List.of(new ProcessField("dr17", 42, STARS, out)));
        database.dsl().deleteFrom(LabelsTable.TABLE).where(LabelsTable.STAR_ID.in(3, 17)).execute();
        List<EstimateLabels> stars = field42(STARS);

        TaskGraph graph = GraphPlanner.serial(database.store(), RetryPolicy.NONE).graphOf(stars);

        for (EstimateLabels s : stars) {
            assertThat(graph.node(Tasks.id(s)).status()).as(Tasks.id(s))
                    .isEqualTo(s.complete() ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE);
        }
        ExecutionSummary again = run(new SchedulerOptions(true, 2), stars);
        assertThat(again.ran()).as("stars 3 and 17; their spectra are still on disk").isEqualTo(2);
        assertThat(again.alreadyComplete()).isEqualTo(STARS - 2 + 2);
        assertThat(database.dsl().fetchCount(LabelsTable.TABLE)).isEqualTo(STARS);
    }
}
