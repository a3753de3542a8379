package astra.test;

import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.plan.RetryPolicy;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.Scheduler;
import astra.scheduler.SchedulerOptions;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPoolFactory;
import astra.worker.WorkerProcesses;
import astra.worker.local.ProcessWorkerPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs tasks as {@code astra run} does (Luigi's {@code luigi.build}): plans the graph from the
 * roots, writes the incomplete part to the database, runs it on a worker pool, and returns what
 * happened. Each setting returns a new runner; the defaults are one worker, in this process, no
 * retries, keep going after a failure.
 *
 * <ul>
 *   <li>{@link #inProcess()} (the default): workers are threads of this JVM sharing its
 *       {@link Database}, with the same claim-run-record loop child processes run. Fast, and a
 *       debugger stops in your task.</li>
 *   <li>{@link #childProcesses()}: the worker pool of {@code astra run}: child JVMs on this JVM's
 *       classpath, each connecting to the database itself. What a real run does, process
 *       boundaries and all (your tasks must be rebuildable from their parameters).</li>
 * </ul>
 *
 * <pre>{@code
 * RunResult run = TaskRunner.on(database, logDir).workers(4).retries(2).childProcesses()
 *         .build(new Normalize("dr17", 59000));
 * }</pre>
 *
 * <p>Each attempt's output goes to its own file under the log directory ({@link TaskResult#log()}).
 * In-process, that means {@code System.out} and {@code System.err} are redirected while the run
 * lasts: run one in-process run at a time in a JVM (JUnit's default).
 */
public final class TaskRunner {

    private final Database database;
    private final Path logDir;
    private final int workers;
    private final boolean processes;
    private final RetryPolicy retry;
    private final boolean keepGoing;
    private final Map<String, Integer> resources;
    private final List<String> jvmOptions;

    private TaskRunner(Database database, Path logDir, int workers, boolean processes, RetryPolicy retry,
            boolean keepGoing, Map<String, Integer> resources, List<String> jvmOptions) {
        this.database = Objects.requireNonNull(database, "database");
        this.logDir = logDir == null ? null : logDir.toAbsolutePath();
        this.workers = workers;
        this.processes = processes;
        this.retry = retry;
        this.keepGoing = keepGoing;
        this.resources = Map.copyOf(resources);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * A runner on an open database (which it does not close), writing attempt logs under
     * {@code logDir} (null: none). {@link AstraTestKit#runner()} gives one on the test's database.
     */
    public static TaskRunner on(Database database, Path logDir) {
        return new TaskRunner(database, logDir, 1, false, RetryPolicy.NONE, true, Map.of(), List.of());
    }

    /** How many tasks run at once ({@code --workers}); at least 1. */
    public TaskRunner workers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + count);
        }
        return new TaskRunner(database, logDir, count, processes, retry, keepGoing, resources, jvmOptions);
    }

    /** Threads of this JVM run the tasks (the default). */
    public TaskRunner inProcess() {
        return new TaskRunner(database, logDir, workers, false, retry, keepGoing, resources, jvmOptions);
    }

    /**
     * Child JVMs run the tasks, as {@code astra run} starts them ({@code [worker] processes = auto}):
     * on this JVM's classpath, each with its own connections to the test's database.
     */
    public TaskRunner childProcesses() {
        return new TaskRunner(database, logDir, workers, true, retry, keepGoing, resources, jvmOptions);
    }

    /** Options of each child JVM ({@code [worker] jvm_options}, e.g. {@code -Xmx512m}); child processes only. */
    public TaskRunner jvmOptions(String... options) {
        return new TaskRunner(database, logDir, workers, processes, retry, keepGoing, resources, Arrays.asList(options));
    }

    /** Extra attempts for a task that fails, at once ({@code [scheduler] retry_count}). */
    public TaskRunner retries(int count) {
        return retries(count, Duration.ZERO);
    }

    /** Extra attempts for a task that fails, each after {@code delay} ({@code retry_count}, {@code retry_delay}). */
    public TaskRunner retries(int count, Duration delay) {
        return new TaskRunner(database, logDir, workers, processes, RetryPolicy.of(count, delay), keepGoing, resources,
                jvmOptions);
    }

    /** False: after a task fails for good, start no new task ({@code [core] keep_going}). */
    public TaskRunner keepGoing(boolean keep) {
        return new TaskRunner(database, logDir, workers, processes, retry, keep, resources, jvmOptions);
    }

    /** Capacities of shared resources ({@code [resources] gpu = 1}). */
    public TaskRunner resources(Map<String, Integer> capacities) {
        return new TaskRunner(database, logDir, workers, processes, retry, keepGoing, capacities, jvmOptions);
    }

    /** Runs the roots and everything they need that is not complete; see {@link #build(List)}. */
    public RunResult build(Task... roots) {
        return build(Arrays.asList(roots));
    }

    /**
     * Runs the roots and everything they need that is not complete, and returns what happened.
     * A task that fails does not throw here: its state is {@code FAILED} in the result.
     *
     * @throws astra.core.AstraException.SchedulingError if planning failed (a cycle, a
     *     {@code requires()} or {@code complete()} that threw), as {@code astra run} exits 5
     */
    public RunResult build(List<? extends Task> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("build needs at least one task");
        }
        SchedulerOptions options = new SchedulerOptions(false, 1, keepGoing, resources);
        Scheduler scheduler = new Scheduler(database, options, pools());
        ExecutionSummary summary;
        try {
            summary = scheduler.run(List.copyOf(roots),
                    "test: build " + String.join(" ", roots.stream().map(Tasks::id).toList()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + roots, e);
        }
        return new RunResult(summary, database.store());
    }

    private WorkerPoolFactory pools() {
        if (!processes) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return WorkerPoolFactory.threads(workers, loader != null ? loader : TaskRunner.class.getClassLoader(),
                    retry, logDir);
        }
        WorkerOptions options = new WorkerOptions(workers, database.settings().withPoolSize(2), List.of(),
                new WorkerOptions.ChildJvm(jvmOptions, List.of(), Map.of()), 0, WorkerOptions.Timeouts.NONE, retry,
                logDir).withProcesses(WorkerProcesses.AUTO);
        return ProcessWorkerPool.factory(options);
    }
}
