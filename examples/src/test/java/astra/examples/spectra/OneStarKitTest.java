package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.store.TaskState;
import astra.scheduler.RunOutcome;
import astra.test.AstraTestKit;
import astra.test.RunResult;
import astra.test.TaskResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One star's chain (spectrum, continuum, labels) run through the test kit, as a pipeline's own
 * tests would run it: a fresh SQLite file, a real run, and its tasks' records to assert on.
 */
class OneStarKitTest {

    @RegisterExtension
    final AstraTestKit astra = AstraTestKit.sqlite();

    @Test
    void oneStarsLabelsRunWithTheirRequirementsAndLandInTheTable() {
        EstimateLabels labels = new EstimateLabels("dr17", 42, 3, astra.directory().resolve("out"));

        RunResult run = astra.build(labels);

        assertThat(run.outcome()).as(run.render()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(run.tasks()).extracting(TaskResult::family)
                .containsExactlyInAnyOrder("SyntheticSpectrum", "ContinuumNormalize", "EstimateLabels");
        assertThat(run.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        assertThat(run.task(labels).attempts()).isEqualTo(1);
        assertThat(astra.database().dsl().fetchCount(LabelsTable.TABLE)).isEqualTo(1);
        assertThat(astra.build(labels).summary().ran()).as("a second build").isZero();
    }

    @Test
    void theSameChainOnChildWorkerProcesses() {
        EstimateLabels labels = new EstimateLabels("dr17", 42, 4, astra.directory().resolve("out"));

        RunResult run = astra.runner().childProcesses().workers(2).build(labels);

        assertThat(run.outcome()).as(run.render()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(run.task(labels).state()).isEqualTo(TaskState.DONE);
        assertThat(LabelsTable.contains(astra.database().dsl(), labels.star())).isTrue();
    }
}
