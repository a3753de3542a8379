package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PostgresStepStoreTest extends StepStoreContract {

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }

    /**
     * Another step is settling the wide task and saw its last requirement still running; the step
     * that finishes that requirement must wait for it and release the task itself, not skip it, or
     * no one releases it and the run ends with it pending.
     */
    @Test
    void theStepThatFinishesAWideTasksLastRequirementReleasesItWhileAnotherHoldsIt() throws Exception {
        int n = WideTasks.WIDE + 1;
        Plans graph = plan().task("Wrapper", n);
        IntStream.range(0, n).forEach(i -> graph.task(String.format("Leaf%02d", i), 0).edge("Wrapper", String.format("Leaf%02d", i)));
        store.writePlan(run, graph.build());
        TaskStore.Step step = store.recordAndClaim(run, "w", ClaimScope.ALL, List.of(), n);
        List<String> leaves = new ArrayList<>(step.next().stream().map(ClaimedTask::taskId).toList());
        step.ahead().forEach(c -> leaves.add(c.taskId()));
        assertThat(leaves).hasSize(n);
        store.recordAndClaim(run, "w", ClaimScope.ALL,
                leaves.subList(0, n - 1).stream().map(TaskStore.Finished::now).toList(), 0);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection settling = DriverManager.getConnection(db.settings().url());
                Connection observer = DriverManager.getConnection(db.settings().url())) {
            settling.setAutoCommit(false);
            PostgresTaskStoreTest.execute(settling, "select task_id from astra_task where task_id = 'Wrapper' for update");

            Future<TaskStore.Step> last = thread.submit(() -> store.recordAndClaim(run, "w", ClaimScope.ALL,
                    List.of(TaskStore.Finished.now(leaves.get(n - 1))), 1));
            PostgresTaskStoreTest.awaitBlockedOrDone(observer, PostgresTaskStoreTest.backendPid(settling), last);
            settling.commit();

            assertThat(last.get(1, TimeUnit.MINUTES).next()).extracting(ClaimedTask::taskId).containsExactly("Wrapper");
        } finally {
            thread.shutdownNow();
        }
    }
}
