package astra.worker;

import astra.core.AstraException;
import astra.core.BatchTask;
import astra.core.ProcessResources;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.db.DatabaseOutage;
import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import astra.core.internal.Failures;
import astra.core.store.ClaimScope;
import astra.core.store.ClaimedTask;
import astra.core.store.Plan;
import astra.core.store.TaskStore;
import astra.plan.RequirementPlanner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's loop: claim a ready task of the run (or a batch of them, for a
 * {@link BatchTask}), rebuild it from its family and parameters, run it, and record
 * the outcome (done and its dependents released, failed, or suspended on new requirements). Ends when the run has nothing ready and nothing running, or when stopped.
 */
public final class ClaimRunRecord implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ClaimRunRecord.class);
    /** About how much work one claim takes ahead, in nanoseconds of this loop's average task. */
    static final long AHEAD_NANOS = 50_000_000;
    /** The most tasks one claim takes. */
    static final int MOST_AHEAD = 64;
    /** Outcomes are recorded at the latest this long after the first of them, when the next task starts. */
    static final long RECORD_WITHIN_NANOS = 100_000_000;
    /** A task running this long gives back what its loop claimed after it, and records what ran before. */
    static final long LONG_TASK_NANOS = 1_000_000_000;
    private static final ScheduledExecutorService LONG_TASKS =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("astra-long-task"));

    private final TaskStore store;
    private final Supplier<DSLContext> db;
    private final long runId;
    private final String workerId;
    private final TaskLoader loader;
    private final RequirementPlanner planner;
    private final ProcessResources resources;
    private final LoopOptions options;
    private final AttemptObserver observer;
    private final StoreRetries retries;
    private volatile int tasksRun;
    private final Backoff backoff = new Backoff(2, 200);
    /** What the last step claimed to run next (one task, or a batch's members); null to claim anew. Guarded by {@link #ahead}. */
    private List<ClaimedTask> next;
    /** Plain tasks claimed ahead, run one by one after {@link #next}; guarded by itself. */
    private final Deque<ClaimedTask> ahead = new ArrayDeque<>();
    /** Tasks run to success whose outcome is not recorded yet; guarded by {@link #ahead}. */
    private final List<TaskStore.Finished> unrecorded = new ArrayList<>();
    /** When the oldest of {@link #unrecorded} finished ({@link System#nanoTime()}). */
    private long unrecordedSince;
    /** A moving average of how long this loop's tasks run, in nanoseconds; 0 before the first. */
    private double taskNanos;
    private volatile boolean stopped;
    private volatile boolean outOfTime;
    private TimeLimit timeLimit;
    private volatile RuntimeException failure;
    private AttemptLogs logs = AttemptLogs.NONE;
    private ClaimScope scope = ClaimScope.ALL;

    /** A loop of this process on its database, with what its initializers provided. */
    public ClaimRunRecord(ProcessResources resources, long runId, TaskLoader loader, RequirementPlanner planner,
            LoopOptions options, AttemptObserver observer) {
        this(resources.database().store(), resources.database()::dsl, runId, resources, loader, planner, options,
                observer);
    }

    public ClaimRunRecord(TaskStore store, Supplier<DSLContext> db, long runId, ProcessResources resources,
            TaskLoader loader, RequirementPlanner planner, LoopOptions options, AttemptObserver observer) {
        this.store = store;
        this.db = db;
        this.runId = runId;
        this.workerId = resources.workerId();
        this.resources = resources;
        this.loader = loader;
        this.planner = planner;
        this.options = options;
        this.observer = observer;
        this.retries = new StoreRetries(resources.database().outage());
    }

    /** Writes each attempt's output to its file; set before the loop runs. */
    public ClaimRunRecord capturing(AttemptLogs attemptLogs) {
        this.logs = attemptLogs;
        return this;
    }

    /** Claims only tasks of the scope's families; set before the loop runs. */
    public ClaimRunRecord scoped(ClaimScope claimScope) {
        this.scope = Objects.requireNonNull(claimScope, "claimScope");
        return this;
    }

    /** How many tasks this loop has finished (done, failed or suspended). */
    public int tasksRun() {
        return tasksRun;
    }

    /** Whether the loop ended because it ran its maximum number of tasks. */
    public boolean reachedMaxTasks() {
        return options.maxTasks() > 0 && tasksRun >= options.maxTasks();
    }

    /** Why the loop ended early (the database was gone for too long), if it did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        timeLimit = new TimeLimit(options.endBy(), scope, store, retries);
        try {
            while (!stopped && !reachedMaxTasks()) {
                List<ClaimedTask> unit = takeNext();
                if (unit == null) {
                    unit = step(claimSize());
                }
                if (unit.isEmpty()) {
                    if (retries.call("looking for work", () -> store.hasWorkLeft(runId, scope))) {
                        if (timeLimit.exists() && !timeLimit.somethingFits(runId)) {
                            outOfTime = true;
                            log.info("{} stops: what is left would not finish by {} (its job's time limit)",
                                    workerId, options.endBy());
                            return;
                        }
                        backoff.pause();
                        continue;
                    }
                    return;
                }
                backoff.reset();
                if (unit.size() == 1 && !loader.isBatchTask(unit.get(0))) {
                    execute(unit.get(0));
                } else {
                    executeBatch(unit);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            if (e instanceof AstraException.DatabaseUnavailable) {
                // Its process says so as it ends, once for all its slots.
                log.debug("{} stopped: {}", workerId, Exceptions.oneLine(e));
            } else {
                log.error("{} stopped: {}", workerId, Exceptions.oneLine(e));
            }
        } finally {
            handBack();
        }
    }

    /**
     * Records what this loop ran and did not record yet, and gives back what it claimed and did
     * not start. The loop calls it as it ends; its process calls it from another thread before it
     * ends for any other reason (a stop, a signal, a timeout, a task that ends the JVM), and then
     * ends the claim of the task that runs. Safe to call more than once. A failure to record is
     * logged: the run ends those claims as for a worker that is gone.
     */
    public void handBack() {
        handBack("its worker stopped before starting it");
    }

    private void handBack(String reason) {
        List<ClaimedTask> unstarted = new ArrayList<>();
        List<TaskStore.Finished> done;
        synchronized (ahead) {
            done = takeUnrecorded();
            if (next != null) {
                unstarted.addAll(next);
                next = null;
            }
            unstarted.addAll(ahead);
            ahead.clear();
        }
        try {
            if (!done.isEmpty()) {
                warnIfLost(done, store.recordAndClaim(runId, workerId, scope, done, 0).recorded());
            }
            for (ClaimedTask task : unstarted) {
                store.release(task.taskId(), workerId, reason);
            }
        } catch (RuntimeException e) {
            log.warn("{} could not record its last outcomes: {}", workerId, Exceptions.oneLine(e));
        }
    }

    /**
     * While a task runs longer than {@link #LONG_TASK_NANOS}, the outcomes before it and the tasks
     * claimed after it wait for no one: recorded and given back from another thread, so that other
     * workers can run them. Null when the loop holds nothing else.
     */
    private ScheduledFuture<?> watchForALongTask() {
        synchronized (ahead) {
            if (ahead.isEmpty() && unrecorded.isEmpty() && next == null) {
                return null;
            }
        }
        return LONG_TASKS.schedule(() -> handBack("its worker is busy with a long task"), LONG_TASK_NANOS,
                TimeUnit.NANOSECONDS);
    }

    /** The unit claimed to run next, or the next task claimed ahead; null if neither. */
    private List<ClaimedTask> takeNext() throws InterruptedException {
        synchronized (ahead) {
            if (next != null) {
                List<ClaimedTask> unit = next;
                next = null;
                return unit;
            }
            if (ahead.isEmpty()) {
                return null;
            }
            if (unrecorded.isEmpty() || System.nanoTime() - unrecordedSince <= RECORD_WITHIN_NANOS) {
                return List.of(ahead.poll());
            }
        }
        // The tasks claimed ahead run longer than foreseen: the outcomes so far wait no longer.
        step(0);
        return takeNext();
    }

    /**
     * Records the outcomes not recorded yet and claims up to {@code most} tasks, in one
     * transaction; returns the unit to run first (empty if none was claimed).
     */
    private List<ClaimedTask> step(int most) throws InterruptedException {
        List<TaskStore.Finished> done;
        synchronized (ahead) {
            done = takeUnrecorded();
        }
        ClaimScope fits = timeLimit.scopeThatFits();
        int claiming = stopped || fits == null ? 0 : most;
        ClaimScope claimingIn = fits == null ? scope : fits;
        String what = done.isEmpty() ? "claiming a task"
                : "recording " + done.get(0).taskId() + (done.size() > 1 ? " and " + (done.size() - 1) + " more" : "") + " done";
        TaskStore.Step step = retries.call(what, () -> store.recordAndClaim(runId, workerId, claimingIn, done, claiming));
        List<ClaimedTask> claimed = new ArrayList<>(step.next());
        claimed.addAll(step.ahead());
        if (retries.lastCallRetried()) {
            giveBackLostClaims(claimed);
        }
        warnIfLost(done, step.recorded());
        synchronized (ahead) {
            ahead.addAll(step.ahead());
        }
        return step.next();
    }

    /** Whether the loop ended because the work left would not finish before its deadline. */
    public boolean outOfTime() {
        return outOfTime;
    }

    /**
     * How many tasks the next step claims: one until the loop knows how long its tasks run, then
     * as many as run in about {@link #AHEAD_NANOS}, so that short tasks share one claim and one
     * record while a long one is claimed alone (and a task released meanwhile waits little).
     */
    private int claimSize() {
        int most = taskNanos <= 0 ? 1 : (int) Math.max(1, Math.min(MOST_AHEAD, AHEAD_NANOS / taskNanos));
        if (options.maxTasks() > 0) {
            most = Math.min(most, Math.max(1, options.maxTasks() - tasksRun));
        }
        return most;
    }

    /** The outcomes not recorded yet, taken; the caller holds the lock on {@link #ahead}. */
    private List<TaskStore.Finished> takeUnrecorded() {
        List<TaskStore.Finished> done = List.copyOf(unrecorded);
        unrecorded.clear();
        return done;
    }

    private void warnIfLost(List<TaskStore.Finished> done, List<String> recorded) {
        done.stream().map(TaskStore.Finished::taskId).filter(id -> !recorded.contains(id)).forEach(this::warnClaimLost);
    }

    /**
     * A claim that failed may still have committed (the reply was lost with the connection):
     * such a task is held by this worker, which does not know it. Give it back, or the run
     * would wait for it forever.
     */
    private void giveBackLostClaims(List<ClaimedTask> claimed) throws InterruptedException {
        for (String taskId : retries.call("checking its claims", () -> store.claimedBy(workerId))) {
            if (claimed.stream().noneMatch(c -> c.taskId().equals(taskId))) {
                retries.call("giving back " + taskId, () -> store.release(taskId, workerId, "its claim's reply was lost"));
            }
        }
    }

    /** What an attempt came to; recorded afterwards, so a failing database is not taken for a failing task. */
    private sealed interface Outcome {}

    /** Ran to success for {@code nanos}, ending at {@code finished} ({@link System#nanoTime()}). */
    private record Done(long nanos, long finished) implements Outcome {}

    private record Failed(String error, String detail) implements Outcome {}

    private record Suspended(Plan additions, int requirements) implements Outcome {}

    /** Ran to success, recorded done by its own {@link TaskContext#transaction}. */
    private record DoneInTransaction(long nanos) implements Outcome {}

    /** Its {@link TaskContext#transaction} found the claim gone: another worker runs it; nothing to record. */
    private record ClaimLost() implements Outcome {}

    /** The database failed under the task (an outage, a lost conflict): not the task's failure. */
    private record DatabaseFailed(String reason) implements Outcome {}

    private void execute(ClaimedTask claimed) throws InterruptedException {
        String taskId = claimed.taskId();
        log.info("{} running {} (attempt {})", workerId, taskId, claimed.attempt());
        observer.started(List.of(claimed));
        logs.begin(runId, claimed);
        ScheduledFuture<?> watch = watchForALongTask();
        Outcome outcome = attempt(claimed);
        if (watch != null) {
            watch.cancel(false);
        }
        if (outcome instanceof Failed failed) {
            logs.write(failed.detail() != null ? failed.detail() : failed.error());
        }
        recordLog(List.of(claimed));
        if (outcome instanceof Done done) {
            log.info("{} done {} in {} ms", workerId, taskId, done.nanos() / 1_000_000);
            taskNanos = taskNanos <= 0 ? done.nanos() : 0.8 * taskNanos + 0.2 * done.nanos();
            synchronized (ahead) {
                if (unrecorded.isEmpty()) {
                    unrecordedSince = done.finished();
                }
                unrecorded.add(new TaskStore.Finished(taskId, Duration.ofNanos(done.nanos()), done.finished()));
            }
        } else if (outcome instanceof DoneInTransaction done) {
            log.info("{} done {} in {} ms (in its own transaction)", workerId, taskId, done.nanos() / 1_000_000);
            taskNanos = taskNanos <= 0 ? done.nanos() : 0.8 * taskNanos + 0.2 * done.nanos();
        } else if (outcome instanceof ClaimLost) {
            warnClaimLost(taskId);
        } else if (outcome instanceof Suspended suspended) {
            log.info("{} suspended {}: waiting for {} new requirement(s)", workerId, taskId, suspended.requirements());
            record(taskId, "suspending it", () -> store.suspend(taskId, workerId, runId, suspended.additions()));
        } else if (outcome instanceof DatabaseFailed lost) {
            log.info("{} gives back {}: the database failed under it ({}); it runs again, no attempt counted",
                    workerId, taskId, lost.reason());
            record(taskId, "giving it back", () -> store.release(taskId, workerId,
                    "the database failed under it (" + lost.reason() + ")"));
        } else if (outcome instanceof Failed failed) {
            log.warn("{} failed {}: {}", workerId, taskId, failed.error());
            record(taskId, "recording its failure",
                    () -> store.markFailed(taskId, workerId, failed.error(), failed.detail()));
        }
        tasksRun++;
        observer.finished(List.of(claimed));
    }

    /**
     * Runs the members of a batch (maybe of one) in one call and records each: the done ones in one
     * transaction, the failed ones one by one, each under its own retry policy.
     */
    private void executeBatch(List<ClaimedTask> claimed) throws InterruptedException {
        ClaimedTask head = claimed.get(0);
        log.info("{} running a batch of {} {} (first {}, attempt {})", workerId, claimed.size(), head.family(),
                head.taskId(), head.attempt());
        observer.started(claimed);
        logs.begin(runId, head);
        long start = System.nanoTime();
        RunBatch.Result result = new RunBatch(loader, db.get(), resources).run(claimed);
        Set<String> traces = new HashSet<>();
        result.failed().forEach((taskId, failure) -> {
            String trace = failure.detail() != null ? failure.detail() : failure.error();
            // A batch whose call threw fails every member with the same trace: written once.
            if (traces.add(trace)) {
                logs.write(taskId + " failed: " + trace);
            }
        });
        recordLog(claimed);
        if (!result.done().isEmpty()) {
            List<String> recorded = retries.call("recording a batch done (" + head.taskId() + ", ...)",
                    () -> store.markDoneAll(result.done(), workerId));
            if (recorded.size() < result.done().size()) {
                log.warn("{} no longer holds the claim on {} of the batch: their outcome was not recorded", workerId,
                        result.done().size() - recorded.size());
            }
        }
        result.failed().forEach((taskId, failure) -> log.warn("{} failed {}: {}", workerId, taskId, failure.error()));
        for (var failed : result.failed().entrySet()) {
            record(failed.getKey(), "recording its failure", () -> store.markFailed(failed.getKey(), workerId,
                    failed.getValue().error(), failed.getValue().detail()));
        }
        log.info("{} finished a batch of {} {} in {} ms: {} done, {} failed", workerId, claimed.size(), head.family(),
                (System.nanoTime() - start) / 1_000_000, result.done().size(), result.failed().size());
        tasksRun += claimed.size();
        observer.finished(claimed);
    }

    /** Rebuilds and runs the task; whatever it throws is its outcome, never this loop's. */
    private Outcome attempt(ClaimedTask claimed) {
        RunningTask context = null;
        long start = System.nanoTime();
        try {
            Task task = loader.load(claimed);
            context = new RunningTask(task, claimed.taskId(), db.get(), planner, resources, store);
            task.run(context);
            if (context.suspension().isPresent()) {
                return new Failed("the task caught TaskContext.Suspended thrown by ctx.require(): let it propagate", null);
            }
            long finished = System.nanoTime();
            Optional<Boolean> committed = context.committed();
            if (committed.isPresent()) {
                return committed.get() ? new DoneInTransaction(finished - start) : new ClaimLost();
            }
            return new Done(finished - start, finished);
        } catch (TaskContext.Suspended suspended) {
            return new Suspended(context.suspension().orElseThrow(), suspended.requirements().size());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            Optional<Boolean> committed = context == null ? Optional.empty() : context.committed();
            if (committed.isPresent()) {
                if (committed.get()) {
                    log.warn("{}: {} threw after its transaction committed it done; it stays done: {}", workerId,
                            claimed.taskId(), Exceptions.oneLine(e));
                    return new DoneInTransaction(System.nanoTime() - start);
                }
                return new ClaimLost();
            }
            if (DatabaseOutage.isOutage(e) || DatabaseOutage.isConflict(e)) {
                return new DatabaseFailed(Failures.reason(e));
            }
            return new Failed(Exceptions.oneLine(e), Exceptions.stackTrace(e));
        }
    }

    /**
     * Ends the attempt's log and, if it wrote one, records where (this host, this path) in the
     * history of its tasks, before their outcome, so it reads as part of the attempt.
     */
    private void recordLog(List<ClaimedTask> tasks) throws InterruptedException {
        var file = logs.end();
        if (file.isPresent()) {
            List<String> ids = tasks.stream().map(ClaimedTask::taskId).toList();
            retries.call("recording where the log of " + ids.get(0) + " is", () -> {
                store.note(runId, ids, workerId, AttemptLogs.NOTE_PREFIX + file.get());
                return true;
            });
        }
    }

    private boolean record(String taskId, String what, Supplier<Boolean> change) throws InterruptedException {
        if (!retries.call(what + " (" + taskId + ")", change)) {
            warnClaimLost(taskId);
            return false;
        }
        return true;
    }

    private void warnClaimLost(String taskId) {
        log.warn("{} no longer holds the claim on {}: its outcome was not recorded", workerId, taskId);
    }
}
