package astra.scheduler;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.db.Database;
import astra.core.db.Plan;
import astra.core.db.RunInfo;
import astra.core.db.TaskState;
import astra.core.db.TaskStore;
import astra.worker.RequirementPlanner;
import astra.worker.TaskLoader;
import astra.worker.ThreadWorkerPool;
import astra.worker.WorkerPool;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code astra run}: builds the graph from the roots, rejects cycles, writes the incomplete
 * part to the database, lets the worker pool run it, and summarizes what happened.
 */
public final class Scheduler implements RequirementPlanner {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final Database database;
    private final SchedulerOptions options;
    private final ClassLoader classLoader;
    private volatile WorkerPool pool;
    private volatile boolean stopped;

    public Scheduler(Database database, SchedulerOptions options, ClassLoader classLoader) {
        this.database = database;
        this.options = options;
        this.classLoader = classLoader;
    }

    /** Runs the roots to completion (or until {@link #stop}) and returns the summary. */
    public ExecutionSummary run(List<? extends Task> roots, String command) throws InterruptedException {
        TaskStore store = database.store();
        long started = System.nanoTime();
        ReleaseAbandonedRuns.on(store, host());
        TaskGraph graph = graphOf(roots);
        Plan plan = Plans.of(graph);
        log.info("scheduled {} task(s) in {} ms: {} complete, {} to run", graph.size(),
                (System.nanoTime() - started) / 1_000_000, graph.count(NodeStatus.COMPLETE),
                plan.tasks().stream().filter(t -> t.state() == TaskState.PENDING).count());
        long runId = store.startRun(new RunInfo(String.join(" ", graph.rootIds()), host(), pid(), command));
        if (!plan.tasks().isEmpty()) {
            store.writePlan(runId, plan);
            WorkerPool p = new ThreadWorkerPool(database, options.workers(), new TaskLoader(classLoader), this,
                    host() + ":" + pid());
            pool = p;
            if (stopped) {
                p.stop();
            }
            p.runUntilIdle(runId);
        }
        ExecutionSummary summary = ExecutionSummary.of(runId, graph, store.tasksOfRun(runId));
        store.finishRun(runId, summary.outcome().name());
        return summary;
    }

    /** Stops starting tasks; those running finish and are recorded. For Ctrl-C. */
    public void stop() {
        stopped = true;
        WorkerPool p = pool;
        if (p != null) {
            p.stop();
        }
    }

    /** Plans requirements discovered at run time, as {@code TaskContext.require} asks. */
    @Override
    public Plan plan(List<Task> requirements) {
        try {
            return Plans.of(graphOf(requirements));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AstraException.SchedulingError("interrupted while planning new requirements");
        }
    }

    private TaskGraph graphOf(List<? extends Task> roots) throws InterruptedException {
        try (CompletionChecks checks = options.parallelScheduling()
                ? CompletionChecks.parallel(options.parallelSchedulingThreads())
                : CompletionChecks.serial()) {
            TaskGraph graph = new BuildGraph(database.store(), checks).from(roots);
            Optional<List<String>> cycle = FindCycle.in(graph);
            if (cycle.isPresent()) {
                throw new AstraException.SchedulingError("the task graph has a cycle: " + String.join(" -> ", cycle.get()));
            }
            return graph;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
