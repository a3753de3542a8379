package astra.core.store;

import static astra.core.store.AstraTables.States.DONE;
import static astra.core.store.AstraTables.States.PENDING;
import static astra.core.store.AstraTables.States.RUNNING;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.db.DatabaseOutage;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The {@link TaskStore} on jOOQ, for PostgreSQL and SQLite; what differs between them is in
 * {@link StoreDialect}. State literals in ready-task conditions are inlined, not bound, so the
 * partial index {@code astra_task_ready} matches them.
 */
final class JooqTaskStore implements TaskStore {

    /** Ids per query in {@link #doneAmong}, bound as one value ({@link StoreDialect#in}). */
    static final int DONE_CHUNK = 5000;

    private final Transactions transactions;
    private final OperatorQueries queries;
    private final StoreDialect dialect;
    private final PlanWriter planWriter;
    private final Claims claims;
    private final Outcomes outcomes;
    private final HandOver handOver;
    private final StoreBrowser browser;

    /** {@code dsl} is asked on every call, so the store follows {@code Database.initProcess()}. */
    JooqTaskStore(Supplier<DSLContext> dsl, StoreDialect dialect, Clock clock, DatabaseOutage outage) {
        this.transactions = new Transactions(dsl, dialect, clock, outage);
        this.dialect = dialect;
        this.planWriter = new PlanWriter(dialect);
        this.queries = new OperatorQueries(transactions, dialect, planWriter);
        this.claims = new Claims(transactions, dialect);
        this.outcomes = new Outcomes(transactions, dialect, planWriter, claims, new ClaimEnder(dialect));
        this.handOver = new HandOver(dialect);
        this.browser = new StoreBrowser(transactions);
    }

    @Override
    public Set<String> doneAmong(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        if (ids.isEmpty()) {
            return Set.of();
        }
        return transactions.withConnection(db -> {
            Set<String> done = new HashSet<>();
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                // Read from the JDBC result directly: a jOOQ record per row would cost more than the query.
                try (ResultSet rows = db.select(Task.TASK_ID).from(Task.TABLE)
                        .where(dialect.in(Task.TASK_ID, ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK))))
                        .and(Task.STATE.eq(DONE))
                        .fetchResultSet()) {
                    while (rows.next()) {
                        done.add(rows.getString(1));
                    }
                } catch (SQLException e) {
                    throw new DataAccessException("cannot read which tasks are done", e);
                }
            }
            return done;
        });
    }

    @Override
    public boolean isDone(String taskId) {
        return transactions.read(db -> db.fetchExists(selectOne().from(Task.TABLE)
                .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(DONE))));
    }

    @Override
    public long startRun(RunInfo info) {
        return transactions.inTransaction(tx -> tx.insertInto(Run.TABLE)
                .set(Run.STARTED_AT, transactions.now())
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
        int updated = transactions.inTransaction(tx -> {
            Instant now = transactions.now();
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
    public int abandonRun(long runId, String reason) {
        return transactions.inTransaction(tx -> {
            Instant now = transactions.now();
            // Its process died, not its tasks: their attempts are not counted.
            List<String> released = tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .setNull(Task.WORKER)
                    .set(Task.ATTEMPTS, Task.ATTEMPTS.minus(1))
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
        return transactions.inTransaction(tx -> handOver.orphans(tx, transactions.now()));
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
    public List<String> writePlan(long runId, Plan plan) {
        return transactions.inTransaction(tx -> {
            Instant now = transactions.now();
            Instant started = tx.select(Run.STARTED_AT).from(Run.TABLE).where(Run.RUN_ID.eq(runId))
                    .fetchOptional(Run.STARTED_AT).orElse(null);
            Condition heldByAnotherLiveRun = Task.STATE.eq(PENDING).and(Task.RUN_ID.isDistinctFrom(runId))
                    .and(HandOver.isLive(Task.RUN_ID));
            Condition doneSinceStart = started == null ? DSL.falseCondition()
                    : Task.STATE.eq(DONE).and(Task.FINISHED_AT.isNotNull()).and(Task.FINISHED_AT.gt(started));
            return planWriter.planInto(
                    tx, runId, plan, Task.STATE.ne(RUNNING).andNot(heldByAnotherLiveRun).andNot(doneSinceStart), now);
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
                return transactions.inTransaction(tx -> {
                    List<TaskEvent> events = new ArrayList<>();
                    List<ClaimedTask> claimed = claims.claimIn(tx, runId, workerId, batch, scope, events);
                    EventLog.record(tx, events);
                    return claimed;
                });
            } catch (Resources.Overbooked e) {
                if (attempt >= Transactions.MAX_ATTEMPTS) {
                    return List.of();
                }
            }
        }
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
        transactions.inTransaction(tx -> {
            WorkerRows.insert(tx, worker, transactions.now());
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
        transactions.inTransaction(tx -> {
            Instant now = transactions.now();
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
        transactions.inTransaction(tx -> {
            WorkerRows.stopped(tx, workerId, reason, transactions.now());
            return null;
        });
    }

    @Override
    public List<String> claimedBy(String workerId) {
        return transactions.read(db -> db.select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.WORKER.eq(workerId)).and(Task.STATE.eq(RUNNING))
                .orderBy(Task.TASK_ID)
                .fetch(Task.TASK_ID));
    }

    @Override
    public boolean hasWorkLeft(long runId, ClaimScope scope) {
        return claims.hasWorkLeft(runId, scope);
    }

    @Override
    public boolean hasWorkLeft(long runId) {
        return claims.hasWorkLeft(runId);
    }

    @Override
    public void setResourceCapacities(Map<String, Integer> capacities) {
        transactions.inTransaction(tx -> {
            Resources.setCapacities(tx, capacities, transactions.now());
            return null;
        });
    }

    @Override
    public Map<String, Duration> longestDone() {
        Field<Double> seconds = DSL.max(dialect.secondsBetween(Task.STARTED_AT, Task.FINISHED_AT));
        return transactions.read(db -> db.select(Task.FAMILY, seconds).from(Task.TABLE)
                .where(Task.STATE.eq(DONE)).and(Task.STARTED_AT.isNotNull()).and(Task.FINISHED_AT.isNotNull())
                .groupBy(Task.FAMILY)
                .fetchMap(Task.FAMILY, r -> Duration.ofMillis(Math.round(Math.max(0, r.value2() == null ? 0 : r.value2()) * 1000))));
    }

    @Override
    public Map<String, Integer> resourceCapacities() {
        return transactions.read(db -> Resources.capacities(db));
    }

    @Override
    public void note(long runId, Collection<String> taskIds, String workerId, String message) {
        if (taskIds.isEmpty()) {
            return;
        }
        Instant now = transactions.now();
        transactions.inTransaction(tx -> {
            EventLog.record(tx, taskIds.stream().map(id -> new TaskEvent(id, runId, now, null, workerId, message)).toList());
            return null;
        });
    }

    // The operator's queries

    @Override
    public Optional<RunRecord> run(long runId) {
        return queries.run(runId);
    }

    @Override
    public List<RunRecord> unfinishedRuns() {
        return queries.unfinishedRuns();
    }

    @Override
    public Optional<RunRecord> latestRun() {
        return queries.latestRun();
    }

    @Override
    public List<WorkerRecord> workers(long runId) {
        return queries.workers(runId);
    }

    @Override
    public List<TaskRecord> tasks(Collection<String> taskIds) {
        return queries.tasks(taskIds);
    }

    @Override
    public List<TaskRecord> tasksOfRun(long runId) {
        return queries.tasksOfRun(runId);
    }

    @Override
    public Optional<TaskRecord> task(String taskId) {
        return queries.task(taskId);
    }

    @Override
    public List<TaskEvent> events(String taskId) {
        return queries.events(taskId);
    }

    @Override
    public List<TaskEvent> eventsOfRun(long runId) {
        return queries.eventsOfRun(runId);
    }

    @Override
    public List<RunEvent> outcomesAfter(long runId, long afterEventId, boolean withSuccesses, int limit) {
        return queries.outcomesAfter(runId, afterEventId, withSuccesses, limit);
    }


    @Override
    public List<Plan.Edge> requirementsOf(Collection<String> taskIds) {
        return queries.requirementsOf(taskIds);
    }

    @Override
    public List<String> families() {
        return queries.families();
    }

    @Override
    public List<StateCount> countTasks(TaskFilter filter) {
        return queries.countTasks(filter);
    }

    @Override
    public List<TaskRecord> findTasks(TaskFilter filter, int limit) {
        return queries.findTasks(filter, limit);
    }

    @Override
    public Set<String> dependentsOf(Collection<String> taskIds) {
        return queries.dependentsOf(taskIds);
    }

    @Override
    public List<String> taskIdsStartingWith(String prefix, int limit) {
        return queries.taskIdsStartingWith(prefix, limit);
    }

    @Override
    public List<String> reset(Collection<String> taskIds, String by) {
        return queries.reset(taskIds, by);
    }

    @Override
    public boolean disableFamily(String family, String by) {
        return queries.disableFamily(family, by);
    }

    @Override
    public boolean enableFamily(String family) {
        return queries.enableFamily(family);
    }

    @Override
    public List<DisabledFamily> disabledFamilies() {
        return queries.disabledFamilies();
    }

    // How attempts end: recorded by Outcomes

    @Override
    public StoreBrowser browser() {
        return browser;
    }

    @Override
    public boolean markDone(String taskId, String workerId) {
        return outcomes.markDone(taskId, workerId);
    }

    @Override
    public boolean markDoneWith(String taskId, String workerId, Duration ran, Consumer<DSLContext> work) {
        return outcomes.markDoneWith(taskId, workerId, ran, work);
    }

    @Override
    public Step recordAndClaim(long runId, String workerId, ClaimScope scope, List<Finished> done, int most) {
        return outcomes.recordAndClaim(runId, workerId, scope, done, most);
    }

    @Override
    public List<String> markDoneAll(Collection<String> taskIds, String workerId) {
        return outcomes.markDoneAll(taskIds, workerId);
    }

    @Override
    public boolean markFailed(String taskId, String workerId, String error, String detail) {
        return outcomes.markFailed(taskId, workerId, error, detail);
    }

    @Override
    public boolean release(String taskId, String workerId, String reason) {
        return outcomes.release(taskId, workerId, reason);
    }

    @Override
    public List<String> releaseClaimsOf(String workerId, String reason) {
        return outcomes.releaseClaimsOf(workerId, reason);
    }

    @Override
    public List<String> endClaimsOf(String workerId, String reason) {
        return outcomes.endClaimsOf(workerId, reason);
    }

    @Override
    public List<String> releaseStaleClaims(Duration lease, String reason) {
        return outcomes.releaseStaleClaims(lease, reason);
    }

    @Override
    public boolean suspend(String taskId, String workerId, long runId, Plan additions) {
        return outcomes.suspend(taskId, workerId, runId, additions);
    }
}
