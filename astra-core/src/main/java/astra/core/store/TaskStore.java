package astra.core.store;

import astra.core.db.DatabaseOutage;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * Astra's own tables: tasks, dependency edges, runs and the event history. All of Astra's SQL
 * lives behind this interface; every state change is a guarded update whose row count is
 * checked, and records an event.
 */
public interface TaskStore {

    /**
     * The store on the connections {@code dsl} gives (asked on every call, so the store follows a
     * process's reconnect), in {@code dialect}'s SQL. Every call waits out an outage of the
     * database as {@code outage} says, and runs a transaction that lost a conflict again.
     */
    static TaskStore on(Supplier<DSLContext> dsl, SQLDialect dialect, Clock clock, DatabaseOutage outage) {
        return new JooqTaskStore(dsl, StoreDialect.of(dialect), clock, outage);
    }

    /** Ids of tasks recorded as done, among the given ones; one query per chunk of ids. */
    Set<String> doneAmong(Collection<String> taskIds);

    /** Whether one task is recorded as done. */
    boolean isDone(String taskId);

    /** Starts a run and returns its id. */
    long startRun(RunInfo info);

    /**
     * Records how a run ended (one of {@code RunOutcome}'s names, free text for now). Its pending
     * tasks that another live run needs are handed over to that run (see {@link #handOverOrphans}).
     */
    void finishRun(long runId, String outcome);

    /** Runs that started and have not recorded an end (live runs), oldest first. */
    List<RunRecord> unfinishedRuns();

    /** One run's row, if there is such a run. */
    Optional<RunRecord> run(long runId);

    /**
     * Ends a run whose process died without finishing it: its claimed tasks go back to pending,
     * their attempt not counted (with an event giving the reason), so the next run can plan them
     * again, and the run is
     * recorded with the outcome {@code ABANDONED}; its pending tasks that a live run needs are
     * handed over to that run. Returns how many tasks were released.
     */
    int abandonRun(long runId, String reason);

    /**
     * Hands the pending tasks of runs that ended to the live runs that need them: a task goes to
     * the oldest live run one of whose pending tasks requires it, directly or through other such
     * tasks, with the event "handed over from run N". Returns how many tasks moved.
     */
    int handOverOrphans();

    /**
     * Writes the incomplete part of a graph for a run, in one transaction: one row per task and
     * one per edge. A task row is owned by one run, whose workers alone claim it. An existing row
     * is taken into this run (reset to pending) unless it is running, pending in another live
     * run, or done since this run started: such a row stays with its run, which finishes it.
     * Returns the ids of the planned tasks left so, in id order (usually none).
     */
    List<String> writePlan(long runId, Plan plan);

    /**
     * Claims one ready task of the run (pending, no unfinished dependency, past any retry delay,
     * with room in the resources it uses, of a family not disabled), highest priority first, for this worker; empty when
     * none is ready right now, or when the run stops at its first failure and has had one.
     */
    Optional<ClaimedTask> claim(long runId, String workerId);

    /**
     * Claims a ready task as {@link #claim} does and, if it has a batch key
     * ({@link TaskPolicy#batchKey()}) and a batch size above 1, in the same transaction up to
     * batch size − 1 more ready tasks of the run with the same key, highest priority first. Each
     * is running for this worker with an attempt of its own, and its history says
     * "claimed (attempt n, batch of k)". The head comes first; empty when nothing is ready.
     */
    default List<ClaimedTask> claimBatch(long runId, String workerId) {
        return claimBatch(runId, workerId, ClaimScope.ALL);
    }

    /** {@link #claimBatch(long, String)} among the tasks of the families in {@code scope} only. */
    List<ClaimedTask> claimBatch(long runId, String workerId, ClaimScope scope);

    /**
     * Records a claimed task done and, in the same transaction, releases its dependents (their
     * unfinished-dependency count goes down by one). Returns false, changing nothing, if this
     * worker no longer holds the claim.
     */
    boolean markDone(String taskId, String workerId);

    /**
     * Runs {@code work} and records the task done in one transaction, which commits only while
     * this worker holds the claim: the task's row is locked first, so a claim given back or taken
     * over (a lease that ran out, a run that ended) makes this return false with nothing of
     * {@code work} committed. A task's results written through the {@code DSLContext} it is given
     * are therefore committed exactly once. {@code work} runs again if the transaction loses a
     * conflict or the database is away meanwhile (its earlier try rolled back); what it throws
     * otherwise rolls everything back and is thrown.
     *
     * @param ran how long the task ran, for its start time; null keeps the claim's
     */
    boolean markDoneWith(String taskId, String workerId, Duration ran, Consumer<DSLContext> work);

    /**
     * {@link #markDone} and then {@link #claimBatch} in one transaction: a worker's step from one
     * task to the next, with one commit instead of two. A dependent this task releases competes
     * for the claim with its own priority. When this worker no longer holds the claim, nothing is
     * recorded and nothing claimed ({@link DoneAndNext#recorded()} false).
     */
    default DoneAndNext markDoneAndClaim(String taskId, String workerId, long runId) {
        return markDoneAndClaim(taskId, workerId, runId, ClaimScope.ALL);
    }

    /** {@link #markDoneAndClaim(String, String, long)}, claiming next among the families in {@code scope} only. */
    default DoneAndNext markDoneAndClaim(String taskId, String workerId, long runId, ClaimScope scope) {
        Step step = recordAndClaim(runId, workerId, scope, List.of(Finished.now(taskId)), 1);
        return new DoneAndNext(!step.recorded().isEmpty(), step.next());
    }

    /**
     * A worker's step, in one transaction: records the tasks it ran to success done and releases
     * their dependents (as {@link #markDoneAll}), then claims up to {@code most} tasks: the best
     * ready one (with its batch companions, as {@link #claimBatch}) and, when that one is a plain
     * task (no batch key, no resources), up to {@code most - 1} more plain ready tasks of the same
     * priority, claimed ahead, which the worker runs one by one after it. A dependent released
     * here competes for the claim with its own priority. {@code most} 0 only records. A worker
     * that held none of the tasks it records any more claims nothing.
     */
    Step recordAndClaim(long runId, String workerId, ClaimScope scope, List<Finished> done, int most);

    /**
     * A task a worker ran to success: it finished {@code finishedNanos} (a {@link System#nanoTime()}
     * reading of this process), after running for {@code ran}; a null {@code ran} keeps the start
     * recorded at its claim.
     */
    record Finished(String taskId, Duration ran, long finishedNanos) {

        /** The {@code finishedNanos} of a task that finishes as it is recorded (no nanoTime reading is this one). */
        static final long AT_RECORDING = Long.MIN_VALUE;

        public Finished {
            Objects.requireNonNull(taskId, "taskId");
        }

        /**
         * Finished as it is recorded: at the store's time of the recording, however long the
         * caller then waits for the transaction; its start is the one recorded at its claim.
         */
        public static Finished now(String taskId) {
            return new Finished(taskId, null, AT_RECORDING);
        }

        boolean atRecording() {
            return finishedNanos == AT_RECORDING;
        }
    }

    /** What {@link #recordAndClaim} did: the tasks it recorded, the unit claimed to run next, and those claimed ahead. */
    record Step(List<String> recorded, List<ClaimedTask> next, List<ClaimedTask> ahead) {
        public Step {
            recorded = List.copyOf(recorded);
            next = List.copyOf(next);
            ahead = List.copyOf(ahead);
        }
    }

    /** What {@link #markDoneAndClaim} did: whether it recorded the task, and what it claimed next. */
    record DoneAndNext(boolean recorded, List<ClaimedTask> next) {
        public DoneAndNext {
            next = List.copyOf(next);
        }
    }

    /**
     * Records claimed tasks done and releases their dependents, as {@link #markDone} does for
     * each, in one transaction. Returns the ids recorded (in id order): those this worker still
     * held; the others are left as they are.
     */
    List<String> markDoneAll(Collection<String> taskIds, String workerId);

    /**
     * Records a claimed task failed with a one-line error (and the full text as detail). If the
     * task has made no more attempts than its policy retries ({@link TaskPolicy#retries()}) it
     * goes back to pending instead, claimable after its retry delay (the event says it will be
     * retried), keeping the error on the row. Returns false if this worker no longer holds it.
     */
    boolean markFailed(String taskId, String workerId, String error, String detail);

    /**
     * Gives a claimed task back without counting the attempt (the worker was interrupted, not
     * the task): pending again, attempts minus one, with an event giving the reason. Returns
     * false if this worker no longer holds the claim.
     */
    boolean release(String taskId, String workerId, String reason);

    /**
     * Ends every claim a worker holds because the worker is gone (killed, crashed, timed out):
     * each task fails with {@code reason}, or goes back to pending as {@link #markFailed} does
     * under its retry policy. Returns the ids of the tasks it ended.
     */
    List<String> endClaimsOf(String workerId, String reason);

    /**
     * Gives back every claim a worker holds, as {@link #release} does, for a worker stopped on
     * purpose (Ctrl-C): nothing failed. Returns the ids of the tasks given back.
     */
    List<String> releaseClaimsOf(String workerId, String reason);

    /**
     * Gives back claims whose heartbeat is older than {@code lease} ago, whatever worker or host
     * holds them, as {@link #release} does: their worker (its host, its process) went silent, which
     * is not the task's failure, so no attempt is counted. A worker that comes back finds its
     * claim gone and records nothing. Fails at once when the database is away, rather than judge
     * heartbeats after an outage during which none could be written. Returns the ids of the tasks
     * given back.
     */
    List<String> releaseStaleClaims(Duration lease, String reason);

    /** Records a worker process that has started and run its initializers. */
    void registerWorker(WorkerRecord worker);

    /**
     * Says a worker is alive: its row's heartbeat and the heartbeat of every task it holds are
     * set to now; {@code tasksRun} is how many tasks it has finished.
     */
    void heartbeat(String workerId, int tasksRun);

    /** Records that a worker stopped, and why ("idle", "max tasks", "killed", an error). */
    void workerStopped(String workerId, String reason);

    /** The workers of a run, in the order they registered. */
    List<WorkerRecord> workers(long runId);

    /**
     * Suspends a claimed task until new requirements are done (dynamic dependencies): adds the
     * plan's tasks and edges to the run, puts the task back to pending with its count of
     * unfinished requirements, all in one transaction. Returns false if the claim was lost.
     */
    boolean suspend(String taskId, String workerId, long runId, Plan additions);

    /** The tasks a worker holds (RUNNING with its id), by id. */
    List<String> claimedBy(String workerId);

    /**
     * Whether the run still has a task ready to claim (maybe waiting for room in a resource or
     * for a retry's delay) or one running, or a pending task that waits on a task running (in any
     * run) or pending in another run. A run that stops at its first failure has only its running
     * tasks left once one failed. A ready task of a disabled family is no work left: it stays
     * pending until its family is enabled and a run plans it again.
     */
    default boolean hasWorkLeft(long runId) {
        return hasWorkLeft(runId, ClaimScope.ALL);
    }

    /**
     * {@link #hasWorkLeft(long)} for the workers of a scope: the run has work left and, unless the
     * scope is every family, a task of the scope's families pending or running, which they may
     * yet claim (again, if it fails and is retried).
     */
    boolean hasWorkLeft(long runId, ClaimScope scope);

    /**
     * Sets the capacity of shared resources ({@code [resources]} in the config) for every run on
     * this database; resources not named keep theirs, and one never set has a capacity of 1.
     */
    void setResourceCapacities(Map<String, Integer> capacities);

    /** Every resource known to the database with its capacity, by name. */
    Map<String, Integer> resourceCapacities();

    /** Every task of the run with its current state. */
    List<TaskRecord> tasksOfRun(long runId);

    /** The rows of these tasks, whatever run owns them, in no particular order; one query per chunk of ids. */
    List<TaskRecord> tasks(Collection<String> taskIds);

    /** One task's row, if Astra knows it. */
    Optional<TaskRecord> task(String taskId);

    /** The edges from these tasks to what they require, as recorded (run-time requirements too). */
    List<Plan.Edge> requirementsOf(Collection<String> taskIds);

    /** A task's history, oldest first. */
    List<TaskEvent> events(String taskId);

    /** The history of every task of a run, in the order it was recorded. */
    List<TaskEvent> eventsOfRun(long runId);

    /**
     * The run's tasks that succeeded (when {@code withSuccesses}), failed for good or failed to be
     * tried again, recorded after event {@code afterEventId}, oldest first, at most {@code limit}.
     */
    List<RunEvent> outcomesAfter(long runId, long afterEventId, boolean withSuccesses, int limit);


    /**
     * Adds the same line to the history of these tasks without changing their state (an event
     * with no state), such as where a worker wrote an attempt's log; one insert.
     */
    void note(long runId, Collection<String> taskIds, String workerId, String message);

    /** Up to {@code limit} task ids that start with {@code prefix}, in id order. */
    List<String> taskIdsStartingWith(String prefix, int limit);

    /** The run started last, if any. */
    Optional<RunRecord> latestRun();

    /**
     * The longest a task of each family has taken, among those recorded done (from their start to
     * their finish): what a worker that must end by a deadline (a Slurm job's time limit) expects
     * of the family's next task. Families with none done are absent.
     */
    Map<String, Duration> longestDone();

    /** The families that have task rows, sorted. */
    List<String> families();

    /** How many task rows match the filter, per family and state (none for a count of 0), sorted by family and state. */
    List<StateCount> countTasks(TaskFilter filter);

    /** At most {@code limit} rows matching the filter, the most recently changed first. */
    List<TaskRecord> findTasks(TaskFilter filter, int limit);

    /**
     * The tasks that require these, directly or through other tasks, by the recorded edges
     * (without the given ones), nearest first.
     */
    Set<String> dependentsOf(Collection<String> taskIds);

    /**
     * Marks tasks not done so that the next run runs them again: each row that is not running
     * becomes pending in no run (no worker claims it until a run plans it), with its attempts,
     * error and times cleared and the event "reset by {@code by}"; pending tasks that require it
     * count it as unfinished again. Running rows are left as they are. Returns the ids reset.
     */
    List<String> reset(Collection<String> taskIds, String by);

    /** Stops every worker claiming tasks of the family; false if it was disabled already. */
    boolean disableFamily(String family, String by);

    /** Lets workers claim the family's tasks again; false if it was not disabled. */
    boolean enableFamily(String family);

    /** The disabled families, by name. */
    List<DisabledFamily> disabledFamilies();

    /** Bounded, paged, read-only queries for browsing runs ({@code astra ui}). */
    StoreBrowser browser();
}
