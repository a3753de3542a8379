package astra.worker;

import astra.core.db.Database;

/**
 * Makes the worker pool of a run. {@link #processes} is what {@code astra run} uses: child JVMs
 * that each connect once and run their initializers once. {@link #threads} runs tasks on
 * threads of the calling process, sharing its connections: for embedding and tests.
 */
public interface WorkerPoolFactory {

    /**
     * A pool for one run.
     *
     * @param planner plans requirements found at run time, for pools whose workers run in this process
     * @param workerIdPrefix workers are named {@code <prefix>-1}, {@code <prefix>-2}, ...
     */
    WorkerPool create(Database database, RequirementPlanner planner, String workerIdPrefix);

    /** How many database connections the pool's workers can hold at once, beyond the caller's own. */
    int connections();

    /** How many workers the pool runs at once. */
    int workers();

    /** How many more times, and how soon, a failed task (or one whose worker died) is tried. */
    default RetryPolicy retry() {
        return RetryPolicy.NONE;
    }

    static WorkerPoolFactory processes(WorkerOptions options) {
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, RequirementPlanner planner, String workerIdPrefix) {
                return new ProcessWorkerPool(options, database, workerIdPrefix, System.err);
            }

            @Override
            public int connections() {
                // Unpooled, a child's loop and its heartbeat may each hold a connection at once.
                int perChild = options.database().usePooling() ? options.database().poolSize() : 2;
                return options.workers() * perChild;
            }

            @Override
            public int workers() {
                return options.workers();
            }

            @Override
            public RetryPolicy retry() {
                return options.retry();
            }
        };
    }

    static WorkerPoolFactory threads(int workers, ClassLoader classLoader) {
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, RequirementPlanner planner, String workerIdPrefix) {
                return new ThreadWorkerPool(database, workers, new TaskLoader(classLoader), planner, workerIdPrefix);
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
