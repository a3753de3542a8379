package astra.core.store;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.db.Database;
import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record7;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;

/**
 * The {@link TaskStore} on jOOQ, for PostgreSQL and SQLite; what differs between them is in
 * {@link StoreDialect}. State literals in ready-task conditions are inlined, not bound, so the
 * partial index {@code astra_task_ready} matches them.
 */
final class JooqTaskStore implements TaskStore {

    /** Ids per query in {@link #doneAmong}, bound as one value ({@link StoreDialect#in}). */
    static final int DONE_CHUNK = 5000;

    /** Deadlocks are detected and broken by PostgreSQL; the loser retries this many times. */
    private static final int MAX_ATTEMPTS = 5;

    private static final Field<String> PENDING = inline(TaskState.PENDING.name());
    private static final Field<String> RUNNING = inline(TaskState.RUNNING.name());
    private static final Field<String> DONE = inline(TaskState.DONE.name());

    private final Supplier<DSLContext> dsl;
    private final StoreDialect dialect;
    private final PlanWriter planWriter;
    private final ClaimEnder claimEnder;
    private final HandOver handOver;
    private final Clock clock;
    private final java.util.Map<Long, Boolean> stopsAtFailure = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code dsl} is asked on every call, so the store follows {@link Database#initProcess()}. */
    JooqTaskStore(Supplier<DSLContext> dsl, StoreDialect dialect, Clock clock) {
        this.dsl = dsl;
        this.dialect = dialect;
        this.planWriter = new PlanWriter(dialect);
        this.claimEnder = new ClaimEnder(dialect);
        this.handOver = new HandOver(dialect);
        this.clock = clock;
    }

    @Override
    public Set<String> doneAmong(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        if (ids.isEmpty()) {
            return Set.of();
        }
        return withConnection(db -> {
            Set<String> done = new HashSet<>();
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                // Read from the JDBC result directly: a jOOQ record per row would cost more than the query.
                try (java.sql.ResultSet rows = db.select(Task.TASK_ID).from(Task.TABLE)
                        .where(dialect.in(Task.TASK_ID, ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK))))
                        .and(Task.STATE.eq(DONE))
                        .fetchResultSet()) {
                    while (rows.next()) {
                        done.add(rows.getString(1));
                    }
                } catch (java.sql.SQLException e) {
                    throw new org.jooq.exception.DataAccessException("cannot read which tasks are done", e);
                }
            }
            return done;
        });
    }

    @Override
    public boolean isDone(String taskId) {
        return dsl.get().fetchExists(selectOne().from(Task.TABLE)
                .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(DONE)));
    }

    @Override
    public long startRun(RunInfo info) {
        return inTransaction(tx -> tx.insertInto(Run.TABLE)
                .set(Run.STARTED_AT, now())
                .set(Run.ROOT_TASK_IDS, info.rootTaskIds())
                .set(Run.HOST, info.host())
                .set(Run.PID, info.pid())
                .set(Run.COMMAND, info.command())
                .set(Run.KEEP_GOING, info.keepGoing())
                .returningResult(Run.RUN_ID)
                .fetchOne(Run.RUN_ID));
    }

    /** {@inheritDoc} Its pending tasks that a live run needs are handed over to that run. */
    @Override
    public void finishRun(long runId, String outcome) {
        int updated = inTransaction(tx -> {
            Instant now = now();
            int finished = tx.update(Run.TABLE)
                    .set(Run.FINISHED_AT, now)
                    .set(Run.OUTCOME, outcome)
                    .where(Run.RUN_ID.eq(runId))
                    .execute();
            handOver.orphans(tx, now);
            return finished;
        });
        if (updated != 1) {
            throw new IllegalArgumentException("no run " + runId + " to finish");
        }
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        return dsl.get().select(Run.RUN_ID, Run.STARTED_AT, Run.FINISHED_AT, Run.HOST, Run.PID, Run.COMMAND, Run.OUTCOME)
                .from(Run.TABLE)
                .where(Run.RUN_ID.eq(runId))
                .fetchOptional(JooqTaskStore::runRecord);
    }

    @Override
    public List<RunRecord> unfinishedRuns() {
        return dsl.get().select(Run.RUN_ID, Run.STARTED_AT, Run.FINISHED_AT, Run.HOST, Run.PID, Run.COMMAND, Run.OUTCOME)
                .from(Run.TABLE)
                .where(Run.FINISHED_AT.isNull())
                .orderBy(Run.RUN_ID)
                .fetch(JooqTaskStore::runRecord);
    }

    private static RunRecord runRecord(Record7<Long, Instant, Instant, String, Long, String, String> r) {
        return new RunRecord(r.value1(), r.value2(), r.value3(), r.value4(), r.value5() == null ? 0 : r.value5(),
                r.value6(), r.value7());
    }

    @Override
    public int abandonRun(long runId, String reason) {
        return inTransaction(tx -> {
            Instant now = now();
            List<String> released = tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .setNull(Task.WORKER)
                    .set(Task.UPDATED_AT, now)
                    .where(Task.RUN_ID.eq(runId)).and(Task.STATE.eq(RUNNING))
                    .returningResult(Task.TASK_ID)
                    .fetch(Record1::value1);
            EventLog.record(tx, released.stream()
                    .map(id -> new TaskEvent(id, runId, now, TaskState.PENDING, null, "released: " + reason))
                    .collect(Collectors.toList()));
            tx.update(Run.TABLE)
                    .set(Run.FINISHED_AT, now)
                    .set(Run.OUTCOME, "ABANDONED")
                    .where(Run.RUN_ID.eq(runId)).and(Run.FINISHED_AT.isNull())
                    .execute();
            handOver.orphans(tx, now);
            return released.size();
        });
    }

    @Override
    public int handOverOrphans() {
        return inTransaction(tx -> handOver.orphans(tx, now()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row is left as it is when it is running (its worker, maybe of another run, finishes
     * it), pending in another live run (that run runs it; edges are global, so its end releases
     * this run's dependents too), or done since this run started: the run's completeness checks
     * came before, and may have seen it unfinished. Rows of rival plans are written in id order,
     * so concurrent plans cannot deadlock, and on PostgreSQL the upsert of a row another plan is
     * writing waits for that plan's commit and then sees its owner: two runs never both take a row.
     */
    @Override
    public void writePlan(long runId, Plan plan) {
        inTransaction(tx -> {
            Instant now = now();
            Instant started = tx.select(Run.STARTED_AT).from(Run.TABLE).where(Run.RUN_ID.eq(runId))
                    .fetchOptional(Run.STARTED_AT).orElse(null);
            Condition heldByAnotherLiveRun = Task.STATE.eq(PENDING).and(Task.RUN_ID.isDistinctFrom(runId))
                    .and(HandOver.isLive(Task.RUN_ID));
            Condition doneSinceStart = started == null ? DSL.falseCondition()
                    : Task.STATE.eq(DONE).and(Task.FINISHED_AT.isNotNull()).and(Task.FINISHED_AT.gt(started));
            planInto(tx, runId, plan, Task.STATE.ne(RUNNING).andNot(heldByAnotherLiveRun).andNot(doneSinceStart), now);
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A task that uses resources is claimed only if they have room. On PostgreSQL two
     * workers may each see room for one more and claim together: after the claim, the resource
     * rows are locked (in name order) and the use rechecked with the other claims committed; the
     * loser rolls back and tries again, now seeing the room gone.
     */
    @Override
    public Optional<ClaimedTask> claim(long runId, String workerId) {
        return claimUpTo(runId, workerId, false, ClaimScope.ALL).stream().findFirst();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Companions are taken only for a head that uses no resources, and only among tasks that
     * use none (the planner refuses resources on batchable families). On PostgreSQL they are
     * chosen with {@code SKIP LOCKED}: a task another worker is claiming at the same moment is
     * left to it, and this batch is smaller.
     */
    @Override
    public List<ClaimedTask> claimBatch(long runId, String workerId, ClaimScope scope) {
        return claimUpTo(runId, workerId, true, scope);
    }

    private List<ClaimedTask> claimUpTo(long runId, String workerId, boolean batch, ClaimScope scope) {
        Objects.requireNonNull(workerId, "workerId");
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(tx -> {
                    List<TaskEvent> events = new ArrayList<>();
                    List<ClaimedTask> claimed = claimIn(tx, runId, workerId, batch, scope, events);
                    EventLog.record(tx, events);
                    return claimed;
                });
            } catch (Resources.Overbooked e) {
                if (attempt >= MAX_ATTEMPTS) {
                    return List.of();
                }
            }
        }
    }

    /** Claims as {@link #claimBatch} does, adding the claim events to {@code events} for the caller to record. */
    private List<ClaimedTask> claimIn(DSLContext tx, long runId, String workerId, boolean batch, ClaimScope scope,
            List<TaskEvent> events) {
        if (stoppedByFailure(tx, runId)) {
            return List.of();
        }
        Instant now = now();
        var ready = dialect.forUpdateSkipLocked(tx.select(Task.TASK_ID).from(Task.TABLE)
                .where(readyToClaim(runId, now)).and(scope.on(Task.FAMILY))
                .orderBy(Task.PRIORITY.desc(), Task.CREATED_AT.asc(), Task.TASK_ID.asc())
                .limit(inline(1)));
        Record row = toRunning(tx.update(Task.TABLE), workerId, now)
                .where(Task.TASK_ID.eq(ready)).and(Task.STATE.eq(PENDING))
                .returningResult(Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.ATTEMPTS,
                        Task.BATCH_KEY, Task.BATCH_SIZE, Resources.USES_ANY)
                .fetchOne();
        if (row == null) {
            return List.of();
        }
        ClaimedTask head = claimed(row);
        boolean usesResources = Boolean.TRUE.equals(row.get(Resources.USES_ANY));
        if (usesResources) {
            Resources.checkRoom(tx, dialect, head.taskId());
        }
        List<ClaimedTask> claimed = new ArrayList<>();
        claimed.add(head);
        String key = row.get(Task.BATCH_KEY);
        int size = row.get(Task.BATCH_SIZE);
        if (batch && key != null && size > 1 && !usesResources) {
            claimed.addAll(companions(tx, runId, workerId, key, size - 1, now));
        }
        String of = claimed.size() > 1 ? ", batch of " + claimed.size() : "";
        // The event's time is read after the claim saw its requirements done, so it is never
        // before their done events, however long this process stalled since {@code now}.
        Instant seen = now();
        claimed.forEach(c -> events.add(new TaskEvent(c.taskId(), runId, seen, TaskState.RUNNING, workerId,
                "claimed (attempt " + c.attempt() + of + ")")));
        return claimed;
    }

    /** Up to {@code most} more ready tasks of the run with the batch key, claimed for the worker. */
    private List<ClaimedTask> companions(DSLContext tx, long runId, String workerId, String key, int most, Instant now) {
        // The ready conditions as for the head; the key and the literals let astra_task_batch apply.
        List<String> ids = dialect.forUpdateSkipLocked(tx.select(Task.TASK_ID).from(Task.TABLE)
                        .where(Task.RUN_ID.eq(runId)).and(Task.BATCH_KEY.eq(key)).and(Task.BATCH_KEY.isNotNull())
                        .and(Task.STATE.eq(PENDING)).and(Task.UNFINISHED_DEPS.eq(inline(0)))
                        .and(Task.NOT_BEFORE.isNull().or(Task.NOT_BEFORE.le(now)))
                        .andNotExists(Resources.used(Task.TASK_ID))
                        .orderBy(Task.PRIORITY.desc(), Task.CREATED_AT.asc(), Task.TASK_ID.asc())
                        .limit(most))
                .fetch(Task.TASK_ID);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<ClaimedTask> claimed = toRunning(tx.update(Task.TABLE), workerId, now)
                .where(Task.TASK_ID.in(ids)).and(Task.STATE.eq(PENDING))
                .returningResult(Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.ATTEMPTS)
                .fetch(JooqTaskStore::claimed);
        if (claimed.size() != ids.size()) {
            throw new IllegalStateException("tasks " + ids + " changed under their row locks");
        }
        claimed.sort(java.util.Comparator.comparing(c -> ids.indexOf(c.taskId())));
        return claimed;
    }

    private static org.jooq.UpdateSetMoreStep<Record> toRunning(org.jooq.UpdateSetFirstStep<Record> update,
            String workerId, Instant now) {
        return update.set(Task.STATE, RUNNING)
                .set(Task.WORKER, workerId)
                .set(Task.ATTEMPTS, Task.ATTEMPTS.plus(1))
                .set(Task.STARTED_AT, now)
                .set(Task.HEARTBEAT_AT, now)
                .set(Task.UPDATED_AT, now)
                .setNull(Task.NOT_BEFORE)
                .setNull(Task.FINISHED_AT)
                .setNull(Task.ERROR)
                .setNull(Task.ERROR_DETAIL);
    }

    private static ClaimedTask claimed(Record row) {
        return new ClaimedTask(row.get(Task.TASK_ID), row.get(Task.FAMILY), row.get(Task.CLASS_NAME),
                row.get(Task.PARAMS), row.get(Task.ATTEMPTS));
    }

    /**
     * Pending, no unfinished requirement, not waiting for a retry's delay, the resources it
     * uses have room, and its family is not disabled. The state literals are inlined so the partial index {@code astra_task_ready}
     * applies.
     */
    private static Condition readyToClaim(long runId, Instant now) {
        return Task.RUN_ID.eq(runId).and(Task.STATE.eq(PENDING)).and(Task.UNFINISHED_DEPS.eq(inline(0)))
                .and(Task.NOT_BEFORE.isNull().or(Task.NOT_BEFORE.le(now)))
                .andNotExists(Resources.lacking(Task.TASK_ID))
                .and(DisabledFamilies.enabled(Task.FAMILY));
    }

    /**
     * Whether the run stops at its first failure ({@code keep_going = false}) and has had one.
     * Whether it stops never changes, so it is asked once per run.
     */
    private boolean stoppedByFailure(DSLContext db, long runId) {
        boolean stops = stopsAtFailure.computeIfAbsent(runId, id -> Boolean.FALSE.equals(db
                .select(Run.KEEP_GOING).from(Run.TABLE).where(Run.RUN_ID.eq(id)).fetchOne(Run.KEEP_GOING)));
        return stops && db.fetchExists(selectOne().from(Task.TABLE)
                .where(Task.RUN_ID.eq(runId)).and(Task.STATE.eq(inline(TaskState.FAILED.name()))));
    }

    @Override
    public boolean markDone(String taskId, String workerId) {
        return inTransaction(tx -> {
            Instant now = now();
            Optional<Record1<Long>> finished = finishClaim(tx, taskId, workerId, now);
            if (finished.isEmpty()) {
                return false;
            }
            EventLog.record(tx, new TaskEvent(taskId, finished.get().value1(), now, TaskState.DONE, workerId, "done"));
            releaseDependentsOf(tx, taskId, now);
            return true;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The task is recorded and its dependents released before the claim, so that a dependent
     * it releases competes for the claim with its own priority: priorities hold from one step to
     * the next. The dependents' lock is taken by one statement.
     */
    @Override
    public DoneAndNext markDoneAndClaim(String taskId, String workerId, long runId, ClaimScope scope) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(tx -> {
                    Instant now = now();
                    Optional<Record1<Long>> finished = finishClaim(tx, taskId, workerId, now);
                    if (finished.isEmpty()) {
                        return new DoneAndNext(false, List.of());
                    }
                    releaseDependentsOf(tx, taskId, now);
                    List<TaskEvent> events = new ArrayList<>();
                    events.add(new TaskEvent(taskId, finished.get().value1(), now, TaskState.DONE, workerId, "done"));
                    List<ClaimedTask> next = claimIn(tx, runId, workerId, true, scope, events);
                    EventLog.record(tx, events);
                    return new DoneAndNext(true, next);
                });
            } catch (Resources.Overbooked e) {
                if (attempt >= MAX_ATTEMPTS) {
                    // The resources stay contended: record the task alone; the worker claims afterwards.
                    return new DoneAndNext(markDone(taskId, workerId), List.of());
                }
            }
        }
    }

    /**
     * Each pending dependent of the task goes down by one unfinished requirement, in one
     * statement that locks them in id order (two tasks finishing at once that share dependents
     * would otherwise lock them in whatever order each plan scans them) and decrements them: one
     * round trip fewer while a wrapper every task of a fan-out releases is locked.
     */
    private void releaseDependentsOf(DSLContext tx, String taskId, Instant now) {
        var dependents = dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.STATE.eq(PENDING))
                .and(Task.TASK_ID.in(select(Edge.TASK_ID).from(Edge.TABLE).where(Edge.REQUIRES_ID.eq(taskId))))
                .orderBy(Task.TASK_ID));
        tx.update(Task.TABLE)
                .set(Task.UNFINISHED_DEPS, Task.UNFINISHED_DEPS.minus(1))
                .set(Task.UPDATED_AT, now)
                .where(Task.TASK_ID.in(dependents)).and(Task.UNFINISHED_DEPS.gt(inline(0)))
                .execute();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A dependent that needs several of the tasks goes down by as many. Rows are locked in id
     * order (the tasks, then their dependents), as everywhere in the store.
     */
    @Override
    public List<String> markDoneAll(Collection<String> taskIds, String workerId) {
        Objects.requireNonNull(workerId, "workerId");
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(taskIds));
        if (ids.isEmpty()) {
            return List.of();
        }
        return inTransaction(tx -> {
            Instant now = now();
            List<String> finished = new ArrayList<>(ids.size());
            List<TaskEvent> events = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK));
                dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                        .where(dialect.in(Task.TASK_ID, chunk)).orderBy(Task.TASK_ID)).fetch();
                tx.update(Task.TABLE)
                        .set(Task.STATE, DONE)
                        .set(Task.FINISHED_AT, now)
                        .set(Task.UPDATED_AT, now)
                        .setNull(Task.ERROR)
                        .setNull(Task.ERROR_DETAIL)
                        .where(dialect.in(Task.TASK_ID, chunk)).and(Task.STATE.eq(RUNNING)).and(Task.WORKER.eq(workerId))
                        .returningResult(Task.TASK_ID, Task.RUN_ID)
                        .forEach(r -> {
                            finished.add(r.value1());
                            events.add(new TaskEvent(r.value1(), r.value2(), now, TaskState.DONE, workerId, "done"));
                        });
            }
            java.util.Collections.sort(finished);
            for (int from = 0; from < finished.size(); from += DONE_CHUNK) {
                releaseDependents(tx, finished.subList(from, Math.min(finished.size(), from + DONE_CHUNK)), now);
            }
            EventLog.record(tx, events);
            return finished;
        });
    }

    /** Each pending dependent of the finished tasks goes down by the number of them it needs. */
    private void releaseDependents(DSLContext tx, List<String> finished, Instant now) {
        Condition dependents = Task.STATE.eq(PENDING).and(Task.TASK_ID.in(
                select(Edge.TASK_ID).from(Edge.TABLE).where(dialect.in(Edge.REQUIRES_ID, finished))));
        dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE).where(dependents).orderBy(Task.TASK_ID)).fetch();
        Field<Integer> needed = DSL.field(DSL.selectCount().from(Edge.TABLE)
                .where(Edge.TASK_ID.eq(Task.TASK_ID)).and(dialect.in(Edge.REQUIRES_ID, finished)));
        tx.update(Task.TABLE)
                .set(Task.UNFINISHED_DEPS, DSL.greatest(Task.UNFINISHED_DEPS.minus(needed), inline(0)))
                .set(Task.UPDATED_AT, now)
                .where(dependents).and(Task.UNFINISHED_DEPS.gt(inline(0)))
                .execute();
    }

    @Override
    public boolean markFailed(String taskId, String workerId, String error, String detail) {
        return inTransaction(tx -> !claimEnder.end(
                tx, Task.TASK_ID.eq(taskId).and(Task.WORKER.eq(workerId)), error, detail, now()).isEmpty());
    }

    @Override
    public boolean release(String taskId, String workerId, String reason) {
        return !giveBack(Task.TASK_ID.eq(taskId), workerId, reason).isEmpty();
    }

    @Override
    public List<String> releaseClaimsOf(String workerId, String reason) {
        Objects.requireNonNull(workerId, "workerId");
        return giveBack(DSL.noCondition(), workerId, reason);
    }

    /** The worker's running tasks matching {@code which} go back to pending, their attempt not counted. */
    private List<String> giveBack(Condition which, String workerId, String reason) {
        return inTransaction(tx -> {
            Instant now = now();
            var released = tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .setNull(Task.WORKER)
                    .set(Task.ATTEMPTS, Task.ATTEMPTS.minus(1))
                    .set(Task.UPDATED_AT, now)
                    .where(which).and(Task.WORKER.eq(workerId)).and(Task.STATE.eq(RUNNING))
                    .returningResult(Task.TASK_ID, Task.RUN_ID)
                    .fetch();
            EventLog.record(tx, released.stream().map(r -> new TaskEvent(
                    r.value1(), r.value2(), now, TaskState.PENDING, workerId, "released: " + reason)).toList());
            return released.stream().map(r -> r.value1()).sorted().toList();
        });
    }

    /** {@inheritDoc} The error recorded is {@code reason}, with no detail. */
    @Override
    public List<String> endClaimsOf(String workerId, String reason) {
        Objects.requireNonNull(workerId, "workerId");
        return inTransaction(tx -> claimEnder.end(tx, Task.WORKER.eq(workerId), reason, null, now()));
    }

    /**
     * {@inheritDoc} A claim is stale when its heartbeat (or, for a claim made before heartbeats
     * were recorded, its start) is strictly older than the store's clock minus {@code lease}.
     */
    @Override
    public List<String> endStaleClaims(Duration lease, String reason) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease of a claim must be positive, got " + lease);
        }
        return inTransaction(tx -> {
            Instant now = now();
            Instant cutoff = now.minus(lease);
            Condition stale = Task.HEARTBEAT_AT.lt(cutoff)
                    .or(Task.HEARTBEAT_AT.isNull().and(Task.STARTED_AT.lt(cutoff)));
            return claimEnder.end(tx, stale, reason, null, now);
        });
    }

    /**
     * {@inheritDoc} A null {@code startedAt} is taken from the store's clock.
     *
     * @throws IllegalArgumentException if the run is unknown or the worker id already registered
     */
    @Override
    public void registerWorker(WorkerRecord worker) {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(worker.workerId(), "workerId");
        inTransaction(tx -> {
            WorkerRows.insert(tx, worker, now());
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if no such worker is registered
     */
    @Override
    public void heartbeat(String workerId, int tasksRun) {
        inTransaction(tx -> {
            Instant now = now();
            if (!WorkerRows.heartbeat(tx, workerId, tasksRun, now)) {
                throw new IllegalArgumentException("no worker " + workerId + " is registered to heartbeat");
            }
            tx.update(Task.TABLE)
                    .set(Task.HEARTBEAT_AT, now)
                    .where(Task.WORKER.eq(workerId)).and(Task.STATE.eq(RUNNING))
                    .execute();
            return null;
        });
    }

    /**
     * {@inheritDoc} The first stop recorded stands. A worker that never registered (it died
     * during start-up) has no row, and nothing is recorded for it.
     */
    @Override
    public void workerStopped(String workerId, String reason) {
        inTransaction(tx -> {
            WorkerRows.stopped(tx, workerId, reason, now());
            return null;
        });
    }

    @Override
    public List<WorkerRecord> workers(long runId) {
        return WorkerRows.ofRun(dsl.get(), runId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The additions' edges must include one from {@code taskId} to each new requirement. An
     * addition that exists stays as it is unless it is FAILED or MISSING. The task's attempt
     * count goes back down by one: a suspension is not a failed attempt.
     */
    @Override
    public boolean suspend(String taskId, String workerId, long runId, Plan additions) {
        if (additions.edges().stream().noneMatch(e -> e.taskId().equals(taskId))) {
            throw new IllegalArgumentException(
                    "cannot suspend " + taskId + ": the additions hold no edge from it to a new requirement");
        }
        return inTransaction(tx -> {
            Instant now = now();
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
            planInto(tx, runId, raised,
                    Task.STATE.in(inline(TaskState.FAILED.name()), inline(TaskState.MISSING.name()))
                            .or(Task.STATE.eq(PENDING).and(Task.RUN_ID.ne(runId)).andNot(HandOver.isLive(Task.RUN_ID))),
                    now);
            int unfinished = unfinishedRequirements(tx, taskId);
            int updated = tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .set(Task.UNFINISHED_DEPS, unfinished)
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

    @Override
    public List<String> claimedBy(String workerId) {
        return dsl.get().select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.WORKER.eq(workerId)).and(Task.STATE.eq(RUNNING))
                .orderBy(Task.TASK_ID)
                .fetch(Task.TASK_ID);
    }

    /**
     * {@inheritDoc} The scope's tasks that can never run are not counted: a pending task of a
     * disabled family, or one that requires a task that failed or whose data is missing. (One
     * held back further up, by a requirement of a requirement that failed, is counted until the
     * run itself has no work left.)
     */
    @Override
    public boolean hasWorkLeft(long runId, ClaimScope scope) {
        if (!hasWorkLeft(runId)) {
            return false;
        }
        if (scope.claimsEveryFamily()) {
            return true;
        }
        var required = Task.TABLE.as("r");
        Field<String> requiredId = DSL.field(DSL.name("r", "task_id"), String.class);
        Field<String> requiredState = DSL.field(DSL.name("r", "state"), String.class);
        Condition blocked = DSL.exists(selectOne().from(Edge.TABLE)
                .join(required).on(requiredId.eq(Edge.REQUIRES_ID))
                .where(Edge.TASK_ID.eq(Task.TASK_ID))
                .and(requiredState.in(inline(TaskState.FAILED.name()), inline(TaskState.MISSING.name()))));
        Condition mayRun = Task.STATE.eq(RUNNING)
                .or(Task.STATE.eq(PENDING).and(DisabledFamilies.enabled(Task.FAMILY)).andNot(blocked));
        return withConnection(db -> db.fetchExists(selectOne().from(Task.TABLE)
                .where(Task.RUN_ID.eq(runId)).and(scope.on(Task.FAMILY)).and(mayRun)));
    }

    /**
     * {@inheritDoc} A pending task of the run that requires a task running (in any run) or
     * pending in another run is work left too: that run finishes it and so releases this one's
     * task, or hands it over when it ends. (A task pending in a run that already ended is handed
     * over by {@link #handOverOrphans}, which the scheduler calls while its workers wait.)
     */
    @Override
    public boolean hasWorkLeft(long runId) {
        return withConnection(db -> {
            boolean stopped = stoppedByFailure(db, runId);
            Condition left = stopped ? Task.STATE.eq(RUNNING)
                    : Task.STATE.eq(RUNNING).or(Task.STATE.eq(PENDING).and(Task.UNFINISHED_DEPS.eq(inline(0)))
                            .and(DisabledFamilies.enabled(Task.FAMILY)));
            if (db.fetchExists(selectOne().from(Task.TABLE).where(Task.RUN_ID.eq(runId)).and(left))) {
                return true;
            }
            if (stopped) {
                return false;
            }
            var required = Task.TABLE.as("r");
            Field<String> requiredId = DSL.field(DSL.name("r", "task_id"), String.class);
            Field<String> requiredState = DSL.field(DSL.name("r", "state"), String.class);
            Field<Long> requiredRun = DSL.field(DSL.name("r", "run_id"), Long.class);
            return db.fetchExists(selectOne().from(Task.TABLE)
                    .join(Edge.TABLE).on(Edge.TASK_ID.eq(Task.TASK_ID))
                    .join(required).on(requiredId.eq(Edge.REQUIRES_ID))
                    .where(Task.RUN_ID.eq(runId)).and(Task.STATE.eq(PENDING))
                    .and(requiredState.eq(RUNNING).or(requiredState.eq(PENDING).and(requiredRun.ne(runId)))));
        });
    }

    @Override
    public void setResourceCapacities(java.util.Map<String, Integer> capacities) {
        inTransaction(tx -> {
            Resources.setCapacities(tx, capacities, now());
            return null;
        });
    }

    @Override
    public java.util.Map<String, Integer> resourceCapacities() {
        return Resources.capacities(dsl.get());
    }

    @Override
    public List<Plan.Edge> requirementsOf(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        return withConnection(db -> {
            List<Plan.Edge> edges = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                edges.addAll(db.select(Edge.TASK_ID, Edge.REQUIRES_ID).from(Edge.TABLE)
                        .where(dialect.in(Edge.TASK_ID, ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK))))
                        .orderBy(Edge.TASK_ID, Edge.REQUIRES_ID)
                        .fetch(r -> new Plan.Edge(r.value1(), r.value2())));
            }
            return edges;
        });
    }

    @Override
    public List<TaskEvent> eventsOfRun(long runId) {
        return EventLog.ofRun(dsl.get(), runId);
    }

    @Override
    public List<TaskRecord> tasks(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        if (ids.isEmpty()) {
            return List.of();
        }
        return withConnection(db -> {
            List<TaskRecord> rows = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                rows.addAll(TaskRecords.select(db)
                        .where(dialect.in(Task.TASK_ID, ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK))))
                        .fetch(TaskRecords::of));
            }
            return rows;
        });
    }

    @Override
    public List<TaskRecord> tasksOfRun(long runId) {
        return TaskRecords.select(dsl.get())
                .where(Task.RUN_ID.eq(runId))
                .orderBy(Task.CREATED_AT, Task.TASK_ID)
                .fetch(TaskRecords::of);
    }

    @Override
    public Optional<TaskRecord> task(String taskId) {
        return TaskRecords.select(dsl.get()).where(Task.TASK_ID.eq(taskId)).fetchOptional(TaskRecords::of);
    }

    @Override
    public List<TaskEvent> events(String taskId) {
        return EventLog.of(dsl.get(), taskId);
    }

    @Override
    public void note(long runId, Collection<String> taskIds, String workerId, String message) {
        if (taskIds.isEmpty()) {
            return;
        }
        Instant now = now();
        inTransaction(tx -> {
            EventLog.record(tx, taskIds.stream().map(id -> new TaskEvent(id, runId, now, null, workerId, message)).toList());
            return null;
        });
    }

    @Override
    public Optional<RunRecord> latestRun() {
        return TaskQueries.latestRunId(dsl.get()).flatMap(this::run);
    }

    @Override
    public List<String> families() {
        return TaskQueries.families(dsl.get());
    }

    @Override
    public List<StateCount> countTasks(TaskFilter filter) {
        return TaskQueries.count(dsl.get(), filter);
    }

    @Override
    public List<TaskRecord> findTasks(TaskFilter filter, int limit) {
        return TaskQueries.find(dsl.get(), filter, limit);
    }

    @Override
    public Set<String> dependentsOf(Collection<String> taskIds) {
        return withConnection(db -> TaskQueries.dependentsOf(db, taskIds));
    }

    @Override
    public List<String> reset(Collection<String> taskIds, String by) {
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(taskIds));
        return inTransaction(tx -> {
            Instant now = now();
            List<String> reset = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += PlanWriter.TASK_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PlanWriter.TASK_CHUNK));
                reset.addAll(tx.update(Task.TABLE)
                        .set(Task.STATE, PENDING)
                        .setNull(Task.RUN_ID)
                        .setNull(Task.WORKER)
                        .set(Task.ATTEMPTS, 0)
                        .setNull(Task.STARTED_AT)
                        .setNull(Task.FINISHED_AT)
                        .setNull(Task.HEARTBEAT_AT)
                        .setNull(Task.NOT_BEFORE)
                        .setNull(Task.ERROR)
                        .setNull(Task.ERROR_DETAIL)
                        .set(Task.UPDATED_AT, now)
                        .where(dialect.in(Task.TASK_ID, chunk)).and(Task.STATE.ne(RUNNING))
                        .returningResult(Task.TASK_ID)
                        .fetch(Record1::value1));
            }
            reset.sort(Comparator.naturalOrder());
            // Their own counts and those of pending tasks that need them: done requirements may be undone now.
            for (int from = 0; from < reset.size(); from += PlanWriter.TASK_CHUNK) {
                List<String> chunk = reset.subList(from, Math.min(reset.size(), from + PlanWriter.TASK_CHUNK));
                recountUnfinished(tx, chunk);
                List<String> dependents = tx.selectDistinct(Edge.TASK_ID).from(Edge.TABLE)
                        .where(Edge.REQUIRES_ID.in(chunk)).orderBy(Edge.TASK_ID).fetch(Edge.TASK_ID);
                for (int at = 0; at < dependents.size(); at += PlanWriter.TASK_CHUNK) {
                    recountUnfinished(tx, dependents.subList(at, Math.min(dependents.size(), at + PlanWriter.TASK_CHUNK)));
                }
            }
            EventLog.record(tx, reset.stream()
                    .map(id -> new TaskEvent(id, null, now, TaskState.PENDING, null, "reset by " + by))
                    .collect(Collectors.toList()));
            return reset;
        });
    }

    @Override
    public List<String> taskIdsStartingWith(String prefix, int limit) {
        return dsl.get().select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.TASK_ID.startsWith(prefix))
                .orderBy(Task.TASK_ID)
                .limit(limit)
                .fetch(Record1::value1);
    }

    @Override
    public boolean disableFamily(String family, String by) {
        return inTransaction(tx -> DisabledFamilies.disable(tx, family, by, now()));
    }

    @Override
    public boolean enableFamily(String family) {
        return inTransaction(tx -> DisabledFamilies.enable(tx, family));
    }

    @Override
    public List<DisabledFamily> disabledFamilies() {
        return DisabledFamilies.all(dsl.get());
    }

    /**
     * The guarded end of a successful claim: RUNNING by this worker becomes DONE. Returns the
     * task's run id, or nothing when the guard matched no row.
     */
    private static Optional<Record1<Long>> finishClaim(DSLContext tx, String taskId, String workerId, Instant now) {
        return tx.update(Task.TABLE)
                .set(Task.STATE, DONE)
                .set(Task.FINISHED_AT, now)
                .set(Task.UPDATED_AT, now)
                .setNull(Task.ERROR)
                .setNull(Task.ERROR_DETAIL)
                .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(RUNNING)).and(Task.WORKER.eq(workerId))
                .returningResult(Task.RUN_ID)
                .fetchOptional();
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

    /**
     * Writes a plan's tasks (those {@code overwritable} allows), replaces the edges of the tasks
     * it wrote (an edge left from an older version of the pipeline would release a task too
     * early), and recounts their unfinished requirements inside this transaction: a count
     * computed while planning may be stale by now, and a requirement that finished in between
     * would otherwise never release the task.
     */
    private void planInto(DSLContext tx, long runId, Plan plan, Condition overwritable, Instant now) {
        List<Plan.PlannedTask> written = planWriter.writeTasks(tx, runId, plan.tasks(), overwritable, now);
        List<String> ids = written.stream().map(Plan.PlannedTask::taskId).collect(Collectors.toList());
        for (int from = 0; from < ids.size(); from += PlanWriter.TASK_CHUNK) {
            tx.deleteFrom(Edge.TABLE)
                    .where(Edge.TASK_ID.in(ids.subList(from, Math.min(ids.size(), from + PlanWriter.TASK_CHUNK))))
                    .execute();
        }
        // Edge order too: rival plans insert the same edges, and wait for each other's in order.
        planWriter.writeEdges(tx, plan.edges().stream()
                .sorted(Comparator.comparing(Plan.Edge::taskId).thenComparing(Plan.Edge::requiresId))
                .collect(Collectors.toList()));
        planWriter.writeResources(tx, written, now);
        for (int from = 0; from < ids.size(); from += PlanWriter.TASK_CHUNK) {
            recountUnfinished(tx, ids.subList(from, Math.min(ids.size(), from + PlanWriter.TASK_CHUNK)));
        }
        recordPlanned(tx, runId, written, now);
    }

    /**
     * Sets each pending task's count to its requirements whose row is not DONE (no row: a task
     * that could not be scheduled, never done). On PostgreSQL the requirement rows are locked
     * first, so one finishing concurrently is either seen as DONE here or waits for this
     * transaction and then sees the edges it must release.
     */
    private void recountUnfinished(DSLContext tx, List<String> taskIds) {
        dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                        .where(Task.TASK_ID.in(
                                select(Edge.REQUIRES_ID).from(Edge.TABLE).where(dialect.in(Edge.TASK_ID, taskIds))))
                        .orderBy(Task.TASK_ID))
                .fetch();
        var edge = Edge.TABLE.as("e");
        Field<String> edgeTask = DSL.field(DSL.name("e", "task_id"), String.class);
        Field<String> edgeRequires = DSL.field(DSL.name("e", "requires_id"), String.class);
        var required = Task.TABLE.as("r");
        Field<String> requiredId = DSL.field(DSL.name("r", "task_id"), String.class);
        Field<String> requiredState = DSL.field(DSL.name("r", "state"), String.class);
        tx.update(Task.TABLE)
                .set(Task.UNFINISHED_DEPS, DSL.field(DSL.selectCount().from(edge)
                        .where(edgeTask.eq(Task.TASK_ID))
                        .andNotExists(selectOne().from(required)
                                .where(requiredId.eq(edgeRequires)).and(requiredState.eq(DONE)))))
                .where(dialect.in(Task.TASK_ID, taskIds)).and(Task.STATE.eq(PENDING))
                .execute();
    }

    private static void recordPlanned(DSLContext tx, long runId, List<Plan.PlannedTask> written, Instant now) {
        EventLog.record(tx, written.stream()
                .map(t -> new TaskEvent(t.taskId(), runId, now, t.state(), null, "planned"))
                .collect(Collectors.toList()));
    }

    /** Both databases keep microseconds; the clock may tick in nanoseconds. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T inTransaction(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.get().transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    dialect.bookkeeping(tx);
                    return work.apply(tx);
                });
            } catch (DataAccessException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
            }
        }
    }

    /** A deadlock (40P01) or serialization failure (40001): the transaction may simply run again. */
    private static boolean isTransient(DataAccessException e) {
        String state = e.sqlState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** Several reads on one connection, outside a transaction (which on SQLite would take the write lock). */
    private <T> T withConnection(Function<DSLContext, T> work) {
        DSLContext db = dsl.get();
        return db.connectionResult(c -> work.apply(db.configuration().derive(new DefaultConnectionProvider(c)).dsl()));
    }
}
