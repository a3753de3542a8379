package astra.worker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.internal.LocalProcess;
import astra.core.store.RunInfo;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import astra.plan.GraphPlanner;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPool;
import astra.worker.local.ProcessFixtures.AllWork;
import astra.worker.local.ProcessFixtures.CountingInitializer;
import astra.worker.local.ProcessFixtures.FindsWorkAtRunTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local process pool on its own, without a scheduler: plans written by the planner, real
 * child JVMs started by {@link ProcessWorkerPool} from {@link WorkerLaunch}'s command line, each
 * running its initializers once and planning the requirements its tasks find at run time itself.
 * One subclass per database.
 */
abstract class ProcessWorkerPoolContract {

    @TempDir
    Path dir;

    Database database;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
    }

    WorkerOptions options(int workers, List<String> initializers) {
        return new WorkerOptions(workers, db().settings().withPoolSize(2), initializers,
                new WorkerOptions.ChildJvm(List.of("-Dastra.test.dir=" + dir), List.of(), Map.of()), 0,
                WorkerOptions.Timeouts.NONE, RetryPolicy.NONE);
    }

    /** Plans the root, runs the plan on the pool until nothing is left, and returns the run. */
    long runOnPool(WorkerOptions options, Task root) throws InterruptedException {
        TaskStore store = database.store();
        GraphPlanner planner = GraphPlanner.serial(store, RetryPolicy.NONE);
        long runId = store.startRun(new RunInfo(Tasks.id(root), LocalProcess.host(), LocalProcess.pid(), "test"));
        store.writePlan(runId, planner.plan(List.of(root)));
        WorkerPool pool = ProcessWorkerPool.factory(options).create(database, "pool-test:" + runId);
        pool.runUntilIdle(runId);
        store.finishRun(runId, "TESTED");
        return runId;
    }

    List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void childrenRunThePlanEachInitializedAndConnectedOnceAndRecordTheirHost() throws Exception {
        long runId = runOnPool(options(2, List.of(CountingInitializer.class.getName())), new AllWork(dir, 8));

        assertThat(database.store().tasksOfRun(runId)).hasSize(9)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        List<WorkerRecord> workers = database.store().workers(runId);
        assertThat(workers).hasSizeBetween(1, 2).allSatisfy(w -> {
            assertThat(w.connects()).isEqualTo(1);
            assertThat(w.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(w.host()).isEqualTo(LocalProcess.host());
        });
        assertThat(ledger()).filteredOn(l -> l.startsWith("init")).hasSameSizeAs(workers);
    }

    @Test
    void aChildPlansTheRequirementsItsTaskFindsAtRunTimeWithoutTheScheduler() throws Exception {
        long runId = runOnPool(options(1, List.of(CountingInitializer.class.getName())), new FindsWorkAtRunTime(dir));

        List<TaskRecord> tasks = database.store().tasksOfRun(runId);
        assertThat(tasks).extracting(TaskRecord::family).containsExactlyInAnyOrder("FindsWorkAtRunTime", "Work");
        assertThat(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        List<String> ledger = ledger();
        assertThat(ledger).anySatisfy(l -> assertThat(l).startsWith("work99 "));
        assertThat(ledger).anySatisfy(l -> assertThat(l).startsWith("found work "));
    }

    @Test
    void aChildWhoseInitializerFailsStopsThePoolWithTheInitializersWords() {
        AstraException.WorkerStartFailed failed = assertThrows(AstraException.WorkerStartFailed.class,
                () -> runOnPool(options(1, List.of(ProcessFixtures.BrokenInitializer.class.getName())),
                        new AllWork(dir, 2)));

        assertThat(failed.getMessage()).contains("BrokenInitializer").contains("model file is corrupt");
    }
}
