package astra.core.store;

import static astra.core.store.AstraTables.States.DONE;
import static astra.core.store.AstraTables.States.PENDING;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Resource;
import astra.core.store.AstraTables.Task;
import astra.core.store.AstraTables.TaskResource;
import astra.core.store.Plan.PlannedTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.InsertValuesStep2;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Writes task rows and edges in multi-row statements, for plans of any size. */
final class PlanWriter {

    /** Rows per task INSERT: 14 bind values each, far below both databases' limits. */
    static final int TASK_CHUNK = 500;
    /** Rows per edge INSERT. */
    static final int EDGE_CHUNK = 1000;

    private static final List<Field<?>> TASK_COLUMNS = List.of(
            Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.STATE,
            Task.UNFINISHED_DEPS, Task.PRIORITY, Task.RUN_ID, Task.CREATED_AT, Task.UPDATED_AT,
            Task.RETRIES, Task.RETRY_DELAY_MS, Task.BATCH_KEY, Task.BATCH_SIZE);

    private final StoreDialect dialect;

    PlanWriter(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Inserts the tasks into the run; an existing row is reset to the planned values (attempts,
     * worker, times and error cleared) only when it satisfies {@code overwritable}. Returns the
     * tasks written, in task id order.
     */
    List<PlannedTask> writeTasks(
            DSLContext tx, long runId, Collection<PlannedTask> tasks, Condition overwritable, Instant now) {
        // Task id order, so concurrent writers lock rows in the same order and cannot deadlock.
        List<PlannedTask> sorted = distinct(tasks).stream()
                .sorted(Comparator.comparing(PlannedTask::taskId))
                .collect(Collectors.toList());
        List<PlannedTask> written = new ArrayList<>(sorted.size());
        for (int from = 0; from < sorted.size(); from += TASK_CHUNK) {
            List<PlannedTask> chunk = sorted.subList(from, Math.min(sorted.size(), from + TASK_CHUNK));
            List<String> ids = chunk.stream().map(PlannedTask::taskId).collect(Collectors.toList());
            Set<String> done = dialect.upsertTasks(tx, upsert(tx, runId, chunk, overwritable, now), ids, overwritable);
            chunk.stream().filter(t -> done.contains(t.taskId())).forEach(written::add);
        }
        return written;
    }

    /**
     * Replaces the resource rows of the tasks written, and makes sure every resource they use
     * has a capacity row: one not configured (see {@code TaskStore.setResourceCapacities}) gets
     * a capacity of 1, as in Luigi.
     */
    void writeResources(DSLContext tx, List<PlannedTask> written, Instant now) {
        List<String> ids = written.stream().map(PlannedTask::taskId).collect(Collectors.toList());
        for (int from = 0; from < ids.size(); from += TASK_CHUNK) {
            tx.deleteFrom(TaskResource.TABLE)
                    .where(dialect.in(TaskResource.TASK_ID, ids.subList(from, Math.min(ids.size(), from + TASK_CHUNK))))
                    .execute();
        }
        List<Object[]> uses = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (PlannedTask t : written) {
            t.policy().resources().forEach((name, amount) -> {
                uses.add(new Object[] {t.taskId(), name, amount});
                names.add(name);
            });
        }
        if (uses.isEmpty()) {
            return;
        }
        for (String name : names) {
            tx.insertInto(Resource.TABLE, Resource.NAME, Resource.CAPACITY, Resource.UPDATED_AT)
                    .values(name, 1, now)
                    .onConflictDoNothing()
                    .execute();
        }
        for (int from = 0; from < uses.size(); from += EDGE_CHUNK) {
            var insert = tx.insertInto(TaskResource.TABLE, TaskResource.TASK_ID, TaskResource.RESOURCE, TaskResource.AMOUNT);
            for (Object[] use : uses.subList(from, Math.min(uses.size(), from + EDGE_CHUNK))) {
                insert = insert.values((String) use[0], (String) use[1], (Integer) use[2]);
            }
            insert.execute();
        }
    }

    void writeEdges(DSLContext tx, Collection<Plan.Edge> edges) {
        List<Plan.Edge> unique = new ArrayList<>(new LinkedHashSet<>(edges));
        for (int from = 0; from < unique.size(); from += EDGE_CHUNK) {
            InsertValuesStep2<Record, String, String> insert =
                    tx.insertInto(Edge.TABLE, Edge.TASK_ID, Edge.REQUIRES_ID);
            for (Plan.Edge e : unique.subList(from, Math.min(unique.size(), from + EDGE_CHUNK))) {
                insert = insert.values(e.taskId(), e.requiresId());
            }
            insert.onConflictDoNothing().execute();
        }
    }

    private static InsertOnConflictConditionStep<Record> upsert(
            DSLContext tx, long runId, List<PlannedTask> chunk, Condition overwritable, Instant now) {
        InsertValuesStepN<Record> insert = tx.insertInto(Task.TABLE, TASK_COLUMNS);
        for (PlannedTask t : chunk) {
            insert = insert.values(t.taskId(), t.family(), t.className(), t.paramsJson(), t.state().name(),
                    t.unfinishedDeps(), t.priority(), runId, now, now, t.policy().retries(),
                    t.policy().retryDelay().toMillis(), t.policy().batchKey(), t.policy().batchSize());
        }
        return insert.onConflict(Task.TASK_ID).doUpdate()
                .set(Task.FAMILY, excluded(Task.FAMILY))
                .set(Task.CLASS_NAME, excluded(Task.CLASS_NAME))
                .set(Task.PARAMS, excluded(Task.PARAMS))
                .set(Task.STATE, excluded(Task.STATE))
                .set(Task.UNFINISHED_DEPS, excluded(Task.UNFINISHED_DEPS))
                .set(Task.PRIORITY, excluded(Task.PRIORITY))
                .set(Task.RUN_ID, excluded(Task.RUN_ID))
                .set(Task.UPDATED_AT, excluded(Task.UPDATED_AT))
                .set(Task.RETRIES, excluded(Task.RETRIES))
                .set(Task.RETRY_DELAY_MS, excluded(Task.RETRY_DELAY_MS))
                .set(Task.BATCH_KEY, excluded(Task.BATCH_KEY))
                .set(Task.BATCH_SIZE, excluded(Task.BATCH_SIZE))
                .set(Task.ATTEMPTS, 0)
                .setNull(Task.NOT_BEFORE)
                .setNull(Task.WORKER)
                .setNull(Task.STARTED_AT)
                .setNull(Task.HEARTBEAT_AT)
                .setNull(Task.FINISHED_AT)
                .setNull(Task.ERROR)
                .setNull(Task.ERROR_DETAIL)
                .where(overwritable);
    }

    /** One row per id; the same id planned twice with different values is a caller's bug. */
    private static Collection<PlannedTask> distinct(Collection<PlannedTask> tasks) {
        Map<String, PlannedTask> byId = new LinkedHashMap<>();
        for (PlannedTask t : tasks) {
            if (t.state() != TaskState.PENDING && t.state() != TaskState.MISSING) {
                throw new IllegalArgumentException(
                        "task " + t.taskId() + " is planned as " + t.state() + ": only PENDING or MISSING can be planned");
            }
            PlannedTask previous = byId.putIfAbsent(t.taskId(), t);
            if (previous != null && !previous.equals(t)) {
                throw new IllegalArgumentException("task " + t.taskId() + " is planned twice, differently: "
                        + previous + " and " + t);
            }
        }
        return byId.values();
    }

    /**
     * Writes a plan's tasks (those {@code overwritable} allows), replaces the edges of the tasks
     * it wrote (an edge left from an older version of the pipeline would release a task too
     * early), and recounts their unfinished requirements inside this transaction: a count
     * computed while planning may be stale by now, and a requirement that finished in between
     * would otherwise never release the task.
     */
    void planInto(DSLContext tx, long runId, Plan plan, Condition overwritable, Instant now) {
        List<Plan.PlannedTask> written = writeTasks(tx, runId, plan.tasks(), overwritable, now);
        List<String> ids = written.stream().map(Plan.PlannedTask::taskId).collect(Collectors.toList());
        for (int from = 0; from < ids.size(); from += PlanWriter.TASK_CHUNK) {
            tx.deleteFrom(Edge.TABLE)
                    .where(Edge.TASK_ID.in(ids.subList(from, Math.min(ids.size(), from + PlanWriter.TASK_CHUNK))))
                    .execute();
        }
        // Edge order too: rival plans insert the same edges, and wait for each other's in order.
        writeEdges(tx, plan.edges().stream()
                .sorted(Comparator.comparing(Plan.Edge::taskId).thenComparing(Plan.Edge::requiresId))
                .collect(Collectors.toList()));
        writeResources(tx, written, now);
        for (int from = 0; from < ids.size(); from += PlanWriter.TASK_CHUNK) {
            recountUnfinished(tx, ids.subList(from, Math.min(ids.size(), from + PlanWriter.TASK_CHUNK)));
        }
        recordPlanned(tx, runId, written, now);
    }

    /**
     * Sets each pending task's count to its requirements whose row is not DONE (no row: a task
     * that could not be scheduled, never done), and whether it is wide ({@link WideTasks}). On PostgreSQL the requirement rows are locked
     * first, so one finishing concurrently is either seen as DONE here or waits for this
     * transaction and then sees the edges it must release.
     */
    void recountUnfinished(DSLContext tx, List<String> taskIds) {
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
                .set(Task.WIDE, WideTasks.isWide())
                .setNull(Task.DONE_THROUGH)
                .where(dialect.in(Task.TASK_ID, taskIds)).and(Task.STATE.eq(PENDING))
                .execute();
    }

    private static void recordPlanned(DSLContext tx, long runId, List<Plan.PlannedTask> written, Instant now) {
        EventLog.record(tx, written.stream()
                .map(t -> new TaskEvent(t.taskId(), runId, now, t.state(), null, "planned"))
                .collect(Collectors.toList()));
    }
}
