package astra.worker;

import astra.core.db.Database;
import astra.plan.GraphPlanner;
import astra.plan.RetryPolicy;
import java.nio.file.Path;

/**
 * Makes the worker pool of a run: child JVMs of this host ({@code ProcessWorkerPool.factory}),
 * those and Slurm jobs where the config places tasks there ({@code SlurmWorkerPool.placed}), or
 * {@link #threads} of the calling process, sharing its connections: for embedding and tests.
 */
public interface WorkerPoolFactory {

    /**
     * A pool for one run. Its workers plan the requirements their tasks find at run time
     * themselves ({@code GraphPlanner}), under {@link #retry}.
     *
     * @param workerIdPrefix workers are named {@code <prefix>-1}, {@code <prefix>-2}, ...
     */
    WorkerPool create(Database database, String workerIdPrefix);

    /** How many database connections the pool's workers can hold at once, beyond the caller's own. */
    int connections();

    /** How many workers the pool runs at once. */
    int workers();

    /** How many more times, and how soon, a failed task (or one whose worker died) is tried. */
    default RetryPolicy retry() {
        return RetryPolicy.NONE;
    }

    static WorkerPoolFactory threads(int workers, ClassLoader classLoader) {
        return threads(workers, classLoader, RetryPolicy.NONE, null);
    }

    /**
     * Threads of the calling process that retry failed tasks under {@code retry}, and write each
     * attempt's output under {@code logDir} (none when null; see {@link ThreadWorkerPool#capturingLogs}).
     */
    static WorkerPoolFactory threads(int workers, ClassLoader classLoader, RetryPolicy retry, Path logDir) {
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, String workerIdPrefix) {
                return new ThreadWorkerPool(database, workers, new TaskLoader(classLoader),
                        GraphPlanner.serial(database.store(), retry()), workerIdPrefix).capturingLogs(logDir);
            }

            @Override
            public RetryPolicy retry() {
                return retry;
            }

            @Override
            public int connections() {
                return 0;
            }

            @Override
            public int workers() {
                return workers;
            }
        };
    }
}
