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
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jooq.Record1;
import org.jooq.Record7;
/**
 * The operator's side of the store: what {@code astra status}, {@code show}, {@code logs},
 * {@code deps}, {@code reset}, {@code disable} and {@code enable} ask and change (runs, workers,
 * task rows, events, families). The queue's own work (plan, claim, record, release) is in
 * {@link JooqTaskStore}, which answers these through this class.
 */
final class OperatorQueries {

    private final Transactions transactions;
    private final StoreDialect dialect;
    private final PlanWriter planWriter;

    OperatorQueries(Transactions transactions, StoreDialect dialect, PlanWriter planWriter) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.planWriter = planWriter;
    }

    Optional<RunRecord> run(long runId) {
        return transactions.read(db -> db.select(Run.RUN_ID, Run.STARTED_AT, Run.FINISHED_AT, Run.HOST, Run.PID, Run.COMMAND, Run.OUTCOME)
                .from(Run.TABLE)
                .where(Run.RUN_ID.eq(runId))
                .fetchOptional(OperatorQueries::runRecord));
    }

    List<RunRecord> unfinishedRuns() {
        return transactions.read(db -> db.select(Run.RUN_ID, Run.STARTED_AT, Run.FINISHED_AT, Run.HOST, Run.PID, Run.COMMAND, Run.OUTCOME)
                .from(Run.TABLE)
                .where(Run.FINISHED_AT.isNull())
                .orderBy(Run.RUN_ID)
                .fetch(OperatorQueries::runRecord));
    }

    private static RunRecord runRecord(Record7<Long, Instant, Instant, String, Long, String, String> r) {
        return new RunRecord(r.value1(), r.value2(), r.value3(), r.value4(), r.value5() == null ? 0 : r.value5(),
                r.value6(), r.value7());
    }

    Optional<RunRecord> latestRun() {
        return transactions.read(db -> TaskQueries.latestRunId(db).flatMap(this::run));
    }

    List<WorkerRecord> workers(long runId) {
        return transactions.read(db -> WorkerRows.ofRun(db, runId));
    }

    List<TaskRecord> tasks(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        if (ids.isEmpty()) {
            return List.of();
        }
        return transactions.withConnection(db -> {
            List<TaskRecord> rows = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += JooqTaskStore.DONE_CHUNK) {
                rows.addAll(TaskRecords.select(db)
                        .where(dialect.in(Task.TASK_ID, ids.subList(from, Math.min(ids.size(), from + JooqTaskStore.DONE_CHUNK))))
                        .fetch(TaskRecords::of));
            }
            return rows;
        });
    }

    List<TaskRecord> tasksOfRun(long runId) {
        return transactions.read(db -> TaskRecords.select(db)
                .where(Task.RUN_ID.eq(runId))
                .orderBy(Task.CREATED_AT, Task.TASK_ID)
                .fetch(TaskRecords::of));
    }

    Optional<TaskRecord> task(String taskId) {
        return transactions.read(db -> TaskRecords.select(db).where(Task.TASK_ID.eq(taskId)).fetchOptional(TaskRecords::of));
    }

    List<TaskEvent> events(String taskId) {
        return transactions.read(db -> EventLog.of(db, taskId));
    }

    List<TaskEvent> eventsOfRun(long runId) {
        return transactions.read(db -> EventLog.ofRun(db, runId));
    }

    List<RunEvent> outcomesAfter(long runId, long afterEventId, boolean withSuccesses, int limit) {
        return transactions.read(db -> EventLog.outcomesAfter(db, runId, afterEventId, withSuccesses, limit));
    }


    List<Plan.Edge> requirementsOf(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds));
        return transactions.withConnection(db -> {
            List<Plan.Edge> edges = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += JooqTaskStore.DONE_CHUNK) {
                edges.addAll(db.select(Edge.TASK_ID, Edge.REQUIRES_ID).from(Edge.TABLE)
                        .where(dialect.in(Edge.TASK_ID, ids.subList(from, Math.min(ids.size(), from + JooqTaskStore.DONE_CHUNK))))
                        .orderBy(Edge.TASK_ID, Edge.REQUIRES_ID)
                        .fetch(r -> new Plan.Edge(r.value1(), r.value2())));
            }
            return edges;
        });
    }

    List<String> families() {
        return transactions.read(db -> TaskQueries.families(db));
    }

    List<StateCount> countTasks(TaskFilter filter) {
        return transactions.read(db -> TaskQueries.count(db, filter));
    }

    List<TaskRecord> findTasks(TaskFilter filter, int limit) {
        return transactions.read(db -> TaskQueries.find(db, filter, limit));
    }

    Set<String> dependentsOf(Collection<String> taskIds) {
        return transactions.withConnection(db -> TaskQueries.dependentsOf(db, taskIds));
    }

    List<String> taskIdsStartingWith(String prefix, int limit) {
        return transactions.read(db -> db.select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.TASK_ID.startsWith(prefix))
                .orderBy(Task.TASK_ID)
                .limit(limit)
                .fetch(Record1::value1));
    }

    List<String> reset(Collection<String> taskIds, String by) {
        List<String> ids = new ArrayList<>(new TreeSet<>(taskIds));
        return transactions.inTransaction(tx -> {
            Instant now = transactions.now();
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
                planWriter.recountUnfinished(tx, chunk);
                List<String> dependents = tx.selectDistinct(Edge.TASK_ID).from(Edge.TABLE)
                        .where(Edge.REQUIRES_ID.in(chunk)).orderBy(Edge.TASK_ID).fetch(Edge.TASK_ID);
                for (int at = 0; at < dependents.size(); at += PlanWriter.TASK_CHUNK) {
                    planWriter.recountUnfinished(tx, dependents.subList(at, Math.min(dependents.size(), at + PlanWriter.TASK_CHUNK)));
                }
            }
            EventLog.record(tx, reset.stream()
                    .map(id -> new TaskEvent(id, null, now, TaskState.PENDING, null, "reset by " + by))
                    .collect(Collectors.toList()));
            return reset;
        });
    }

    boolean disableFamily(String family, String by) {
        return transactions.inTransaction(tx -> DisabledFamilies.disable(tx, family, by, transactions.now()));
    }

    boolean enableFamily(String family) {
        return transactions.inTransaction(tx -> DisabledFamilies.enable(tx, family));
    }

    List<DisabledFamily> disabledFamilies() {
        return transactions.read(db -> DisabledFamilies.all(db));
    }
}
