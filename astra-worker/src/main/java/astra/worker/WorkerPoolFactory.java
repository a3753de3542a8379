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
                return options.workers() * connectionsPerChild(options);
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

    /**
     * The pool where the config places a run's tasks ({@link SlurmOptions}): worker processes of
     * this host for the local families (as {@link #processes}), Slurm jobs for the others, all
     * claiming from the same database.
     *
     * @param launcher the command line of {@code astra worker} in a job, for a run and group
     * @param workingDir where the jobs start
     */
    static WorkerPoolFactory placed(WorkerOptions options, SlurmOptions slurm,
            java.util.function.BiFunction<Long, SlurmOptions.JobGroup, java.util.List<String>> launcher,
            java.nio.file.Path workingDir) {
        if (!slurm.usesSlurm()) {
            return processes(options);
        }
        WorkerPoolFactory local = processes(options);
        int perChild = connectionsPerChild(options);
        int slurmWorkers = slurm.groups().stream().mapToInt(g -> g.shape().nodes() * g.shape().ppn()).sum();
        int slurmConnections = slurm.groups().stream()
                .mapToInt(g -> g.shape().nodes() * (g.shape().ppn() * perChild + HostWorkers.PARENT_POOL_SIZE)).sum();
        java.nio.file.Path logDir = options.logDir() != null ? options.logDir()
                : workingDir.resolve(WorkerOptions.DEFAULT_LOG_DIR);
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, RequirementPlanner planner, String workerIdPrefix) {
                WorkerPool jobs = new SlurmWorkerPool(slurm, launcher, database.store(), logDir, workingDir, System.err,
                        new SlurmCommands());
                return slurm.local().<WorkerPool>map(scope -> new SplitPool(
                        new ProcessWorkerPool(options, scope, database, workerIdPrefix, System.err), jobs)).orElse(jobs);
            }

            @Override
            public int connections() {
                return (slurm.local().isPresent() ? local.connections() : 0) + slurmConnections;
            }

            @Override
            public int workers() {
                return (slurm.local().isPresent() ? local.workers() : 0) + slurmWorkers;
            }

            @Override
            public RetryPolicy retry() {
                return options.retry();
            }
        };
    }

    /** The connections one child process can hold: its pool, or unpooled, its loop's and its heartbeat's. */
    private static int connectionsPerChild(WorkerOptions options) {
        return options.database().usePooling() ? options.database().poolSize() : 2;
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
