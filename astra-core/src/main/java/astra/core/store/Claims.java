package astra.core.store;

import static astra.core.store.AstraTables.States.PENDING;
import static astra.core.store.AstraTables.States.RUNNING;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.UpdateSetFirstStep;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
/**
 * How a worker claims ready tasks: the highest priority first, one statement per claim
 * ({@code SKIP LOCKED} on PostgreSQL), with companions of the same batch key for batch tasks,
 * and nothing once a run that stops at its first failure has had one.
 */
final class Claims {

    private final Transactions transactions;
    private final StoreDialect dialect;
    /** Whether each run stops at its first failure: asked once per run, since it never changes. */
    private final Map<Long, Boolean> stopsAtFailure = new ConcurrentHashMap<>();

    Claims(Transactions transactions, StoreDialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    /** What one claim took: the unit to run first and the plain tasks claimed ahead of time. */
    record Claimed(List<ClaimedTask> first, List<ClaimedTask> ahead) {
        static final Claimed NONE = new Claimed(List.of(), List.of());
    }

    /** Claims as {@link #claimBatch} does, adding the claim events to {@code events} for the caller to record. */
    List<ClaimedTask> claimIn(DSLContext tx, long runId, String workerId, boolean batch, ClaimScope scope,
            List<TaskEvent> events) {
        return claimIn(tx, runId, workerId, batch, scope, 1, events).first();
    }

    /**
     * Claims as {@link #claimBatch} does and, when the head is a plain task (no batch key, no
     * resources) and {@code most} is more than 1, up to {@code most - 1} more plain ready tasks
     * of the head's priority, in one statement ({@code SKIP LOCKED} on PostgreSQL): the worker
     * runs them one after the other. Since the head is the best ready task, none of them passes
     * over a task of higher priority; one released meanwhile waits at most for those claimed ahead.
     */
    Claimed claimIn(DSLContext tx, long runId, String workerId, boolean batch, ClaimScope scope, int most,
            List<TaskEvent> events) {
        if (stoppedByFailure(tx, runId)) {
            return Claimed.NONE;
        }
        Instant now = transactions.now();
        Record row = claimHead(tx, runId, workerId, scope, now);
        if (row == null && WideTasks.settle(tx, dialect, runId, now) > 0) {
            row = claimHead(tx, runId, workerId, scope, now);
        }
        if (row == null) {
            return Claimed.NONE;
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
        List<ClaimedTask> ahead = most > 1 && key == null && !usesResources
                ? ahead(tx, runId, workerId, scope, row.get(Task.PRIORITY), most - 1, now) : List.of();
        String of = claimed.size() > 1 ? ", batch of " + claimed.size() : "";
        // The event's time is read after the claim saw its requirements done, so it is never
        // before their done events, however long this process stalled since {@code now}.
        Instant seen = transactions.now();
        claimed.forEach(c -> events.add(new TaskEvent(c.taskId(), runId, seen, TaskState.RUNNING, workerId,
                "claimed (attempt " + c.attempt() + of + ")")));
        ahead.forEach(c -> events.add(new TaskEvent(c.taskId(), runId, seen, TaskState.RUNNING, workerId,
                "claimed (attempt " + c.attempt() + ", ahead)")));
        return new Claimed(claimed, ahead);
    }

    /** Up to {@code most} more plain ready tasks of the given priority, claimed for the worker in claim order. */
    private List<ClaimedTask> ahead(DSLContext tx, long runId, String workerId, ClaimScope scope, int priority,
            int most, Instant now) {
        var ready = dialect.forUpdateSkipLocked(tx.select(Task.TASK_ID).from(Task.TABLE)
                .where(readyToClaim(runId, now)).and(scope.on(Task.FAMILY))
                .and(Task.PRIORITY.eq(priority)).and(Task.BATCH_KEY.isNull())
                .andNotExists(Resources.used(Task.TASK_ID))
                .orderBy(Task.PRIORITY.desc(), Task.CREATED_AT.asc(), Task.TASK_ID.asc())
                .limit(most));
        // No start yet: the worker records it with the outcome; a claim ended before then is given back uncounted.
        var rows = toRunning(tx.update(Task.TABLE), workerId, now).setNull(Task.STARTED_AT)
                .where(Task.TASK_ID.in(ready)).and(Task.STATE.eq(PENDING))
                .returningResult(Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.ATTEMPTS, Task.CREATED_AT)
                .fetch();
        return rows.stream()
                .sorted(Comparator.comparing((Record r) -> r.get(Task.CREATED_AT)).thenComparing(r -> r.get(Task.TASK_ID)))
                .map(Claims::claimed)
                .toList();
    }

    /** The best ready task, claimed for the worker: its row, or null when none is ready. */
    private Record claimHead(DSLContext tx, long runId, String workerId, ClaimScope scope, Instant now) {
        var ready = dialect.forUpdateSkipLocked(tx.select(Task.TASK_ID).from(Task.TABLE)
                .where(readyToClaim(runId, now)).and(scope.on(Task.FAMILY))
                .orderBy(Task.PRIORITY.desc(), Task.CREATED_AT.asc(), Task.TASK_ID.asc())
                .limit(inline(1)));
        return toRunning(tx.update(Task.TABLE), workerId, now)
                .where(Task.TASK_ID.eq(ready)).and(Task.STATE.eq(PENDING))
                .returningResult(Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.ATTEMPTS,
                        Task.BATCH_KEY, Task.BATCH_SIZE, Task.PRIORITY, Resources.USES_ANY)
                .fetchOne();
    }

    /** Up to {@code most} more ready tasks of the run with the batch key, claimed for the worker. */
    List<ClaimedTask> companions(DSLContext tx, long runId, String workerId, String key, int most, Instant now) {
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
                .fetch(Claims::claimed);
        if (claimed.size() != ids.size()) {
            throw new IllegalStateException("tasks " + ids + " changed under their row locks");
        }
        claimed.sort(Comparator.comparing(c -> ids.indexOf(c.taskId())));
        return claimed;
    }

    static ClaimedTask claimed(Record row) {
        return new ClaimedTask(row.get(Task.TASK_ID), row.get(Task.FAMILY), row.get(Task.CLASS_NAME),
                row.get(Task.PARAMS), row.get(Task.ATTEMPTS));
    }

    /**
     * Pending, no unfinished requirement, not waiting for a retry's delay, the resources it
     * uses have room, and its family is not disabled. The state literals are inlined so the partial index {@code astra_task_ready}
     * applies.
     */
    static Condition readyToClaim(long runId, Instant now) {
        return Task.RUN_ID.eq(runId).and(Task.STATE.eq(PENDING)).and(Task.UNFINISHED_DEPS.eq(inline(0)))
                .and(Task.NOT_BEFORE.isNull().or(Task.NOT_BEFORE.le(now)))
                .andNotExists(Resources.lacking(Task.TASK_ID))
                .and(DisabledFamilies.enabled(Task.FAMILY));
    }

    /**
     * Whether the run stops at its first failure ({@code keep_going = false}) and has had one.
     * Whether it stops never changes, so it is asked once per run.
     */
    boolean stoppedByFailure(DSLContext db, long runId) {
        boolean stops = stopsAtFailure.computeIfAbsent(runId, id -> Boolean.FALSE.equals(db
                .select(Run.KEEP_GOING).from(Run.TABLE).where(Run.RUN_ID.eq(id)).fetchOne(Run.KEEP_GOING)));
        return stops && db.fetchExists(selectOne().from(Task.TABLE)
                .where(Task.RUN_ID.eq(runId)).and(Task.STATE.eq(inline(TaskState.FAILED.name()))));
    }

    static UpdateSetMoreStep<Record> toRunning(UpdateSetFirstStep<Record> update,
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

    /**
     * The scope's tasks that can never run are not counted: a pending task of a
     * disabled family, or one that requires a task that failed or whose data is missing. (One
     * held back further up, by a requirement of a requirement that failed, is counted until the
     * run itself has no work left.)
     */
    boolean hasWorkLeft(long runId, ClaimScope scope) {
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
        return transactions.withConnection(db -> db.fetchExists(selectOne().from(Task.TABLE)
                .where(Task.RUN_ID.eq(runId)).and(scope.on(Task.FAMILY)).and(mayRun)));
    }

    /**
     * A pending task of the run that requires a task running (in any run) or
     * pending in another run is work left too: that run finishes it and so releases this one's
     * task, or hands it over when it ends. (A task pending in a run that already ended is handed
     * over by {@code TaskStore.handOverOrphans}, which the scheduler calls while its workers wait.)
     */
    boolean hasWorkLeft(long runId) {
        return transactions.withConnection(db -> {
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
}
