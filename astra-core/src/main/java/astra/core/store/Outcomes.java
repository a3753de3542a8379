package astra.core.store;

import static astra.core.store.AstraTables.States.DONE;
import static astra.core.store.AstraTables.States.PENDING;
import static astra.core.store.AstraTables.States.RUNNING;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Task;
import astra.core.store.TaskStore.Finished;
import astra.core.store.TaskStore.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jooq.CaseWhenStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
/**
 * How attempts end in the queue: done (releasing dependents, and claiming the next task in the
 * same transaction), failed, given back, suspended for requirements found at run time, or ended
 * for a worker that is gone. Every change is guarded by the claim: a worker whose claim was
 * ended or taken over changes nothing.
 */
final class Outcomes {

    private final Transactions transactions;
    private final StoreDialect dialect;
    private final PlanWriter planWriter;
    private final Claims claims;
    private final ClaimEnder claimEnder;

    Outcomes(Transactions transactions, StoreDialect dialect, PlanWriter planWriter, Claims claims,
            ClaimEnder claimEnder) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.planWriter = planWriter;
        this.claims = claims;
        this.claimEnder = claimEnder;
    }

    boolean markDone(String taskId, String workerId) {
        return !markDoneAll(List.of(taskId), workerId).isEmpty();
    }

    boolean markDoneWith(String taskId, String workerId, Duration ran, Consumer<DSLContext> work) {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(work, "work");
        return transactions.inDurableTransaction(tx -> {
            Record own = dialect.forUpdate(tx.select(Task.STATE, Task.WORKER).from(Task.TABLE)
                    .where(Task.TASK_ID.eq(taskId))).fetchOne();
            if (own == null || !TaskState.RUNNING.name().equals(own.get(Task.STATE))
                    || !workerId.equals(own.get(Task.WORKER))) {
                return false;
            }
            work.accept(tx);
            List<TaskEvent> events = new ArrayList<>(1);
            List<String> recorded = finish(tx, List.of(new Finished(taskId, ran, Finished.AT_RECORDING)), workerId, events);
            if (recorded.size() != 1) {
                throw new IllegalStateException("task " + taskId + " changed under its row lock");
            }
            EventLog.record(tx, events);
            return true;
        });
    }

    /**
     * <p>The tasks are recorded and their dependents released before the claim, so that a
     * dependent they release competes for the claim with its own priority: priorities hold from
     * one step to the next.
     */
    Step recordAndClaim(long runId, String workerId, ClaimScope scope, List<Finished> done, int most) {
        Objects.requireNonNull(workerId, "workerId");
        for (int attempt = 1; ; attempt++) {
            int claiming = most;
            try {
                return transactions.inTransaction(tx -> {
                    List<TaskEvent> events = new ArrayList<>();
                    List<String> recorded = finish(tx, done, workerId, events);
                    Claims.Claimed next = claiming > 0 && (done.isEmpty() || !recorded.isEmpty())
                            ? claims.claimIn(tx, runId, workerId, true, scope, claiming, events) : Claims.Claimed.NONE;
                    EventLog.record(tx, events);
                    return new Step(recorded, next.first(), next.ahead());
                });
            } catch (Resources.Overbooked e) {
                if (attempt >= Transactions.MAX_ATTEMPTS) {
                    // The resources stay contended: record alone; the worker claims afterwards.
                    return recordAndClaim(runId, workerId, scope, done, 0);
                }
            }
        }
    }

    /**
     * <p>A dependent that needs several of the tasks goes down by as many. Rows are locked in id
     * order (the tasks, then their dependents), as everywhere in the store.
     */
    List<String> markDoneAll(Collection<String> taskIds, String workerId) {
        Objects.requireNonNull(workerId, "workerId");
        List<Finished> done = new TreeSet<>(taskIds).stream().map(Finished::now).toList();
        return transactions.inTransaction(tx -> {
            List<TaskEvent> events = new ArrayList<>(done.size());
            List<String> finished = finish(tx, done, workerId, events);
            EventLog.record(tx, events);
            return finished;
        });
    }

    /**
     * Records the tasks this worker still holds done, each with its own start and finish time,
     * adds their done events, and releases their dependents. Returns the ids recorded, in id
     * order. Rows are locked in id order (the tasks, then their dependents).
     */
    private List<String> finish(DSLContext tx, List<Finished> done, String workerId, List<TaskEvent> events) {
        if (done.isEmpty()) {
            return List.of();
        }
        Instant now = transactions.now();
        long nanos = System.nanoTime();
        Map<String, Finished> byId = new TreeMap<>();
        done.forEach(f -> byId.put(f.taskId(), f));
        List<String> ids = new ArrayList<>(byId.keySet());
        List<String> finished = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += JooqTaskStore.DONE_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + JooqTaskStore.DONE_CHUNK));
            if (chunk.size() > 1) {
                dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                        .where(dialect.in(Task.TASK_ID, chunk)).orderBy(Task.TASK_ID)).fetch();
            }
            Map<String, Instant> finishedAt = new HashMap<>();
            Map<String, Field<Instant>> startedAt = new HashMap<>();
            for (String id : chunk) {
                Finished f = byId.get(id);
                // Whole milliseconds back from the store's clock, which a task recorded as it ends reads itself.
                Instant end = f.atRecording() ? now : now.minusMillis(Math.max(0, (nanos - f.finishedNanos()) / 1_000_000));
                finishedAt.put(id, end);
                startedAt.put(id, f.ran() == null ? Task.STARTED_AT : DSL.val(end.minus(f.ran())));
            }
            tx.update(Task.TABLE)
                    .set(Task.STATE, DONE)
                    .set(Task.STARTED_AT, byTask(startedAt, Task.STARTED_AT))
                    .set(Task.FINISHED_AT, byTask(finishedAt.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> DSL.val(e.getValue()))), DSL.val(now)))
                    .set(Task.UPDATED_AT, now)
                    .setNull(Task.ERROR)
                    .setNull(Task.ERROR_DETAIL)
                    .where(dialect.in(Task.TASK_ID, chunk)).and(Task.STATE.eq(RUNNING)).and(Task.WORKER.eq(workerId))
                    .returningResult(Task.TASK_ID, Task.RUN_ID)
                    .forEach(r -> {
                        finished.add(r.value1());
                        events.add(new TaskEvent(r.value1(), r.value2(), finishedAt.get(r.value1()), TaskState.DONE,
                                workerId, "done"));
                    });
        }
        Collections.sort(finished);
        for (int from = 0; from < finished.size(); from += JooqTaskStore.DONE_CHUNK) {
            releaseDependents(tx, finished.subList(from, Math.min(finished.size(), from + JooqTaskStore.DONE_CHUNK)), now);
        }
        return finished;
    }

    boolean markFailed(String taskId, String workerId, String error, String detail) {
        return transactions.inTransaction(tx -> !claimEnder.end(
                tx, Task.TASK_ID.eq(taskId).and(Task.WORKER.eq(workerId)), error, detail, transactions.now(), true).isEmpty());
    }

    boolean release(String taskId, String workerId, String reason) {
        return !giveBack(Task.TASK_ID.eq(taskId), workerId, reason).isEmpty();
    }

    List<String> releaseClaimsOf(String workerId, String reason) {
        Objects.requireNonNull(workerId, "workerId");
        return giveBack(DSL.noCondition(), workerId, reason);
    }

    /** {@inheritDoc} The error recorded is {@code reason}, with no detail. */
    List<String> endClaimsOf(String workerId, String reason) {
        Objects.requireNonNull(workerId, "workerId");
        return transactions.inTransaction(tx -> claimEnder.end(tx, Task.WORKER.eq(workerId), reason, null, transactions.now()));
    }

    /**
     * {@inheritDoc} A claim is stale when its heartbeat (or, for a claim made before heartbeats
     * were recorded, its start) is strictly older than the store's clock minus {@code lease}.
     */
    List<String> releaseStaleClaims(Duration lease, String reason) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease of a claim must be positive, got " + lease);
        }
        // Not after waiting out an outage: the heartbeats it judges could not be written meanwhile.
        return transactions.inTransactionNow(tx -> {
            Instant cutoff = transactions.now().minus(lease);
            // A task whose row a frozen worker's transaction still locks waits for the next pass:
            // the server ends that transaction once it has idled too long (StoreDialect.bookkeeping).
            return giveBack(tx, Task.HEARTBEAT_AT.lt(cutoff).or(Task.HEARTBEAT_AT.isNull().and(Task.STARTED_AT.lt(cutoff))),
                    reason, true);
        });
    }

    /**
     * <p>The additions' edges must include one from {@code taskId} to each new requirement. An
     * addition that exists stays as it is unless it is FAILED or MISSING. The task's attempt
     * count goes back down by one: a suspension is not a failed attempt.
     */
    boolean suspend(String taskId, String workerId, long runId, Plan additions) {
        if (additions.edges().stream().noneMatch(e -> e.taskId().equals(taskId))) {
            throw new IllegalArgumentException(
                    "cannot suspend " + taskId + ": the additions hold no edge from it to a new requirement");
        }
        return transactions.inTransaction(tx -> {
            Instant now = transactions.now();
            Record own = dialect.forUpdate(tx.select(Task.STATE, Task.WORKER, Task.PRIORITY).from(Task.TABLE)
                    .where(Task.TASK_ID.eq(taskId))).fetchOne();
            if (own == null || !TaskState.RUNNING.name().equals(own.get(Task.STATE))
                    || !workerId.equals(own.get(Task.WORKER))) {
                return false;
            }
            // The new requirements run at least at the priority of the task that needs them.
            int priority = own.get(Task.PRIORITY);
            Plan raised = new Plan(additions.tasks().stream()
                    .map(t -> t.priority() >= priority ? t : new Plan.PlannedTask(t.taskId(), t.family(), t.className(),
                            t.paramsJson(), t.state(), t.unfinishedDeps(), t.policy().withPriority(priority)))
                    .toList(), additions.edges());
            // A requirement pending in a run that ended (stopped, or blocked there) joins this one:
            // only this run's workers will claim it. One pending in another live run stays with
            // it, and this task waits for it as for any other requirement.
            planWriter.planInto(tx, runId, raised,
                    Task.STATE.in(inline(TaskState.FAILED.name()), inline(TaskState.MISSING.name()))
                            .or(Task.STATE.eq(PENDING).and(Task.RUN_ID.ne(runId)).andNot(HandOver.isLive(Task.RUN_ID))),
                    now);
            int unfinished = unfinishedRequirements(tx, taskId);
            int updated = tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .set(Task.UNFINISHED_DEPS, unfinished)
                    .set(Task.WIDE, WideTasks.isWide())
                    .setNull(Task.DONE_THROUGH)
                    .set(Task.ATTEMPTS, Task.ATTEMPTS.minus(1))
                    .setNull(Task.WORKER)
                    .set(Task.UPDATED_AT, now)
                    .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(RUNNING)).and(Task.WORKER.eq(workerId))
                    .execute();
            if (updated != 1) {
                throw new IllegalStateException("task " + taskId + " changed under its row lock");
            }
            EventLog.record(tx, new TaskEvent(taskId, runId, now, TaskState.PENDING, workerId,
                    "suspended: waiting for " + unfinished + " new requirement(s)"));
            return true;
        });
    }

    /**
     * Each pending dependent of the finished tasks that is not wide ({@link WideTasks}) goes down
     * by the number of them it needs, in steps an index can serve rather than one join: the
     * finished tasks' edges by their requirement, then the dependents by id, locked in id order
     * (two steps finishing at once that share dependents would otherwise lock them in whatever
     * order each plan scans them), then decremented. A fan-out's leaves release nothing: their
     * one dependent is wide.
     */
    private void releaseDependents(DSLContext tx, List<String> finished, Instant now) {
        List<String> candidates = tx.selectDistinct(Edge.TASK_ID).from(Edge.TABLE)
                .where(dialect.in(Edge.REQUIRES_ID, finished)).fetch(Edge.TASK_ID);
        if (candidates.isEmpty()) {
            return;
        }
        List<String> dependents = dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                        .where(dialect.in(Task.TASK_ID, candidates)).and(Task.STATE.eq(PENDING))
                        .and(WideTasks.releasedOneByOne()).orderBy(Task.TASK_ID))
                .fetch(Task.TASK_ID);
        if (dependents.isEmpty()) {
            return;
        }
        Field<Integer> needed = finished.size() == 1 ? inline(1) : DSL.field(DSL.selectCount().from(Edge.TABLE)
                .where(Edge.TASK_ID.eq(Task.TASK_ID)).and(dialect.in(Edge.REQUIRES_ID, finished)));
        tx.update(Task.TABLE)
                .set(Task.UNFINISHED_DEPS, DSL.greatest(Task.UNFINISHED_DEPS.minus(needed), inline(0)))
                .set(Task.UPDATED_AT, now)
                .where(dialect.in(Task.TASK_ID, dependents)).and(Task.STATE.eq(PENDING))
                .and(Task.UNFINISHED_DEPS.gt(inline(0)))
                .execute();
    }

    /** A value per task, for an update's SET: {@code CASE task_id WHEN ... END}. */
    private static Field<Instant> byTask(Map<String, ? extends Field<Instant>> values, Field<Instant> otherwise) {
        CaseWhenStep<String, Instant> cases = null;
        for (var e : values.entrySet()) {
            cases = cases == null ? DSL.choose(Task.TASK_ID).when(e.getKey(), e.getValue()) : cases.when(e.getKey(), e.getValue());
        }
        return cases == null ? otherwise : cases.otherwise(otherwise);
    }

    /** The worker's running tasks matching {@code which} go back to pending, their attempt not counted. */
    private List<String> giveBack(Condition which, String workerId, String reason) {
        return transactions.inTransaction(tx -> giveBack(tx, which.and(Task.WORKER.eq(workerId)), reason, false));
    }

    /**
     * The running tasks matching {@code which} go back to pending, their attempt not counted; each
     * event names the worker that held the task; rows another transaction locks are left alone
     * when {@code skipLocked}. Returns their ids, sorted.
     */
    private List<String> giveBack(DSLContext tx, Condition which, String reason, boolean skipLocked) {
        Instant now = transactions.now();
        var select = tx.select(Task.TASK_ID, Task.RUN_ID, Task.WORKER).from(Task.TABLE)
                .where(which).and(Task.STATE.eq(RUNNING)).orderBy(Task.TASK_ID);
        var held = (skipLocked ? dialect.forUpdateSkipLocked(select) : dialect.forUpdate(select)).fetch();
        if (held.isEmpty()) {
            return List.of();
        }
        List<String> ids = held.map(r -> r.value1());
        tx.update(Task.TABLE)
                .set(Task.STATE, PENDING)
                .setNull(Task.WORKER)
                .set(Task.ATTEMPTS, Task.ATTEMPTS.minus(1))
                .set(Task.UPDATED_AT, now)
                .where(dialect.in(Task.TASK_ID, ids)).and(Task.STATE.eq(RUNNING))
                .execute();
        EventLog.record(tx, held.map(r -> new TaskEvent(
                r.value1(), r.value2(), now, TaskState.PENDING, r.value3(), "released: " + reason)));
        return ids;
    }

    /**
     * How many of the task's requirements are not done. On PostgreSQL the requirement rows are
     * locked first: one finishing concurrently either committed before (and counts as done here)
     * or waits for this transaction, after which it sees the new edge and releases the task.
     */
    private int unfinishedRequirements(DSLContext tx, String taskId) {
        List<String> states = dialect.forUpdate(tx.select(Task.STATE).from(Task.TABLE)
                        .where(Task.TASK_ID.in(select(Edge.REQUIRES_ID).from(Edge.TABLE).where(Edge.TASK_ID.eq(taskId))))
                        .orderBy(Task.TASK_ID))
                .fetch(Task.STATE);
        return (int) states.stream().filter(s -> !TaskState.DONE.name().equals(s)).count();
    }
}
