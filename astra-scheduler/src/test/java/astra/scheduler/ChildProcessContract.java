package astra.scheduler;

import astra.core.Task;
import astra.core.db.Database;
import astra.core.testing.DatabaseExtension;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.local.ProcessWorkerPool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contracts that run whole runs on real child worker processes share: a test
 * directory for the ledger, the database of the subclass, and children started the same way.
 */
abstract class ChildProcessContract {

    @TempDir
    Path dir;

    Database database;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
    }

    /** {@code n} child workers with two connections each, quick to start, under {@code retry}. */
    WorkerOptions children(int n, RetryPolicy retry) {
        return new WorkerOptions(n, db().settings().withPoolSize(2), List.of(),
                new WorkerOptions.ChildJvm(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"), List.of(), Map.of()),
                0, WorkerOptions.Timeouts.NONE, retry);
    }

    ExecutionSummary run(WorkerOptions workers, SchedulerOptions options, Task root) throws InterruptedException {
        return new Scheduler(database, options, ProcessWorkerPool.factory(workers)).run(List.of(root), "test");
    }
}
