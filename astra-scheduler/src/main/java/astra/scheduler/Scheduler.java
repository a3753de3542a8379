package astra.scheduler;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.ConnectionLimits;
import astra.core.db.Database;
import astra.core.internal.LocalProcess;
import astra.core.store.Plan;
import astra.core.store.RunInfo;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.plan.GraphPlanner;
import astra.plan.NodeStatus;
import astra.plan.Plans;
import astra.plan.TaskGraph;
import astra.worker.ConnectionBudget;
import astra.worker.WorkerPool;
import astra.worker.WorkerPoolFactory;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code astra run}: builds the graph from the roots, rejects cycles, writes the incomplete
 * part to the database, lets the worker pool run it, and summarizes what happened.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final Database database;
    private final WorkerPoolFactory pools;
    private final SchedulerOptions options;
    private final GraphPlanner planner;
    private volatile WorkerPool pool;
    private volatile boolean stopped;
    private volatile long currentRun = -1;
    private volatile RunEvents.Settings events = RunEvents.Settings.NONE;

    public Scheduler(Database database, SchedulerOptions options, WorkerPoolFactory pools) {
        this.database = database;
        this.pools = pools;
        this.options = options;
        this.planner = new GraphPlanner(database.store(), options.checkThreads(), pools.retry());
    }

    /**
     * Tells the run's task outcomes to the handlers of {@code [scheduler] event_handlers} (loaded
     * with {@code loader}, the tasks' class loader) and {@code [notify] on_failure}, and disables a
     * family past {@code [scheduler] disable_num_failures}: see {@link astra.core.TaskEventHandler}.
     *
     * @throws AstraException.BadConfig for a handler that cannot be made, or a bad number
     */
    public Scheduler withEvents(astra.core.config.Config config, ClassLoader loader) {
        this.events = RunEvents.Settings.from(config, loader);
        return this;
    }

    /** The connections the run can hold, checked against the server's limit before anything starts. */
    public ConnectionBudget budget() {
        return new ConnectionBudget(database.settings().poolSize(), pools.workers(), pools.connections());
    }

    /** Runs the roots to completion (or until {@link #stop}) and returns the summary. */
    public ExecutionSummary run(List<? extends Task> roots, String command) throws InterruptedException {
        TaskStore store = database.store();
        long started = System.nanoTime();
        ConnectionBudget budget = budget();
        Optional<ConnectionLimits> limits = database.connectionLimits();
        log.info(budget.describe(limits));
        budget.check(limits);
        ReleaseAbandonedRuns.on(store, database.outage(), LocalProcess.host(), options.lease());
        if (!options.resources().isEmpty()) {
            store.setResourceCapacities(options.resources());
        }
        // The run starts before its completeness checks: a task another run finishes after this
        // point stays done when this run writes its plan, even if the checks found it unfinished.
        long runId = store.startRun(new RunInfo(String.join(" ", roots.stream().map(Tasks::id).toList()),
                LocalProcess.host(), LocalProcess.pid(), command, options.keepGoing()));
        currentRun = runId;
        try {
            return run(roots, runId, started);
        } catch (InterruptedException | RuntimeException e) {
            // A run that records no end keeps its pending tasks from other runs while its process lives.
            RunOutcome outcome = e instanceof InterruptedException ? RunOutcome.INTERRUPTED
                    : e instanceof AstraException.SchedulingError ? RunOutcome.SCHEDULING_ERROR : RunOutcome.FAILED;
            try {
                store.finishRun(runId, outcome.name());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private ExecutionSummary run(List<? extends Task> roots, long runId, long started) throws InterruptedException {
        TaskStore store = database.store();
        TaskGraph graph = planner.graphOf(roots);
        Plan plan = Plans.of(graph);
        log.info("scheduled {} task(s) in {} ms: {} complete, {} to run", graph.size(),
                (System.nanoTime() - started) / 1_000_000, graph.count(NodeStatus.COMPLETE),
                plan.tasks().stream().filter(t -> t.state() == TaskState.PENDING).count());
        if (!plan.tasks().isEmpty()) {
            long writing = System.nanoTime();
            List<String> leftToOthers = store.writePlan(runId, plan);
            log.info("wrote the plan in {} ms: {} task(s), {} requirement edge(s)",
                    (System.nanoTime() - writing) / 1_000_000, plan.tasks().size(), plan.edges().size());
            OtherRuns.logWaits(store, runId, leftToOthers);
            WorkerPool p = pools.create(database, LocalProcess.host() + ":" + LocalProcess.pid() + ":" + runId);
            pool = p;
            if (stopped) {
                p.stop();
            }
            try (ReleaseAbandonedRuns.Periodic sweeps =
                    ReleaseAbandonedRuns.periodically(store, database.outage(), LocalProcess.host(), options.lease());
                    RunEvents outcomes = RunEvents.follow(store, runId, events)) {
                p.runUntilIdle(runId);
            }
        }
        ExecutionSummary summary = OtherRuns.summarize(store, runId, graph, options.keepGoing());
        store.finishRun(runId, summary.outcome().name());
        return summary;
    }

    /** The id of the run under way, once it has started (for watching its progress). */
    public OptionalLong runId() {
        long id = currentRun;
        return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /**
     * Stops the run, for Ctrl-C: no task starts any more, and the workers give back the tasks
     * they hold (processes) or finish them (threads), so each is done or runnable next time.
     */
    public void stop() {
        stopped = true;
        WorkerPool p = pool;
        if (p != null) {
            p.stop();
        }
    }
}
