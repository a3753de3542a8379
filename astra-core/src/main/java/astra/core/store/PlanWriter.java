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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/** Writes task rows and edges in multi-row statements, for plans of any size. */
final class PlanWriter {

    /** Ids per statement that looks up or deletes rows of given tasks. */
    static final int TASK_CHUNK = 500;

    private static final List<Field<?>> TASK_COLUMNS = List.of(
            Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.STATE,
            Task.UNFINISHED_DEPS, Task.PRIORITY, Task.RUN_ID, Task.CREATED_AT, Task.UPDATED_AT,
            Task.RETRIES, Task.RETRY_DELAY_MS, Task.BATCH_KEY, Task.BATCH_SIZE, Task.WIDE);
    private static final List<Field<?>> EDGE_COLUMNS = List.of(Edge.TASK_ID, Edge.REQUIRES_ID);
    private static final List<Field<?>> RESOURCE_COLUMNS =
            List.of(TaskResource.TASK_ID, TaskResource.RESOURCE, TaskResource.AMOUNT);

    private final StoreDialect dialect;

    PlanWriter(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Inserts the tasks (one per id) into the run, each with {@code requirements} (its count of edges in the
     * plan) as its count of unfinished ones; an existing row is reset to the planned values
     * (attempts, worker, times and error cleared) only when it satisfies {@code overwritable}.
     * Returns the ids written, in task id order, and those of them whose row existed before.
     */
    StoreDialect.Upserted writeTasks(DSLContext tx, long runId, Collection<PlannedTask> tasks,
            Map<String, Integer> requirements, Condition overwritable, Instant now) {
        // Task id order, so concurrent writers lock rows in the same order and cannot deadlock.
        List<PlannedTask> sorted = tasks.stream()
                .sorted(Comparator.comparing(PlannedTask::taskId))
                .collect(Collectors.toList());
        Set<String> written = new LinkedHashSet<>();
        Set<String> replaced = new HashSet<>();
        int chunkSize = dialect.rowsPerInsert(TASK_COLUMNS.size());
        for (int from = 0; from < sorted.size(); from += chunkSize) {
            List<PlannedTask> chunk = sorted.subList(from, Math.min(sorted.size(), from + chunkSize));
            List<String> ids = chunk.stream().map(PlannedTask::taskId).collect(Collectors.toList());
            StoreDialect.Upserted done = dialect.upsertTasks(
                    tx, upsert(tx, runId, chunk, requirements, overwritable, now), ids, overwritable);
            ids.stream().filter(done.written()::contains).forEach(written::add);
            replaced.addAll(done.replaced());
        }
        return new StoreDialect.Upserted(written, replaced);
    }

    /**
     * Replaces the resource rows of the tasks given ({@code replaced}: those that had a row before
     * this plan; a new row has none), and makes sure every resource the written tasks use has a
     * capacity row: one not configured (see {@code TaskStore.setResourceCapacities}) gets a
     * capacity of 1, as in Luigi.
     */
    void writeResources(DSLContext tx, List<PlannedTask> written, Collection<String> replaced, Instant now) {
        List<String> ids = new ArrayList<>(replaced);
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
        insertAll(tx, TaskResource.TABLE, RESOURCE_COLUMNS, uses, false);
    }

    void writeEdges(DSLContext tx, Collection<Plan.Edge> edges) {
        List<Object[]> rows = edges.stream()
                .map(e -> new Object[] {e.taskId(), e.requiresId()})
                .collect(Collectors.toList());
        insertAll(tx, Edge.TABLE, EDGE_COLUMNS, rows, true);
    }

    /** Inserts the rows in statements of as many as the dialect takes, skipping duplicates if asked. */
    private void insertAll(DSLContext tx, Table<Record> table, List<Field<?>> columns, List<Object[]> rows,
            boolean skipDuplicates) {
        int chunkSize = dialect.rowsPerInsert(columns.size());
        for (int from = 0; from < rows.size(); from += chunkSize) {
            var insert = dialect.insertRows(tx, table, columns, rows.subList(from, Math.min(rows.size(), from + chunkSize)));
            (skipDuplicates ? insert.onConflictDoNothing() : insert).execute();
        }
    }

    private InsertOnConflictConditionStep<Record> upsert(DSLContext tx, long runId, List<PlannedTask> chunk,
            Map<String, Integer> requirements, Condition overwritable, Instant now) {
        List<Object[]> rows = new ArrayList<>(chunk.size());
        for (PlannedTask t : chunk) {
            int unfinished = requirements.getOrDefault(t.taskId(), 0);
            rows.add(new Object[] {t.taskId(), t.family(), t.className(), t.paramsJson(), t.state().name(),
                    unfinished, t.priority(), runId, now, now, t.policy().retries(),
                    t.policy().retryDelay().toMillis(), t.policy().batchKey(), t.policy().batchSize(),
                    unfinished > WideTasks.WIDE});
        }
        return dialect.insertRows(tx, Task.TABLE, TASK_COLUMNS, rows).onConflict(Task.TASK_ID).doUpdate()
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
                .set(Task.WIDE, excluded(Task.WIDE))
                .setNull(Task.DONE_THROUGH)
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
     * early), and recounts inside this transaction the unfinished requirements of each task
     * written that needs a requirement this plan did not write: a count computed while planning
     * may be stale by now for such a row (another run's, or done since), and a requirement that
     * finished in between would otherwise never release the task. A requirement this plan wrote
     * is pending or missing, as planned, and locked by this transaction until it commits, so the
     * count of a task whose requirements it all wrote, its edges in the plan, is exact (the
     * planner's own count is not used). Returns the ids of the planned tasks it left as they
     * were, in id order.
     */
    List<String> planInto(DSLContext tx, long runId, Plan plan, Condition overwritable, Instant now) {
        // Edge order too: rival plans insert the same edges, and wait for each other's in order.
        List<Plan.Edge> edges = new LinkedHashSet<>(plan.edges()).stream()
                .sorted(Comparator.comparing(Plan.Edge::taskId).thenComparing(Plan.Edge::requiresId))
                .collect(Collectors.toList());
        Map<String, Integer> requirements = new HashMap<>();
        edges.forEach(e -> requirements.merge(e.taskId(), 1, Integer::sum));
        Collection<PlannedTask> planned = distinct(plan.tasks());
        StoreDialect.Upserted upserted = writeTasks(tx, runId, planned, requirements, overwritable, now);
        Set<String> written = upserted.written();
        List<String> replaced = new ArrayList<>(upserted.replaced());
        Collections.sort(replaced);
        for (int from = 0; from < replaced.size(); from += TASK_CHUNK) {
            tx.deleteFrom(Edge.TABLE)
                    .where(Edge.TASK_ID.in(replaced.subList(from, Math.min(replaced.size(), from + TASK_CHUNK))))
                    .execute();
        }
        writeEdges(tx, edges);
        List<PlannedTask> tasks = planned.stream().filter(t -> written.contains(t.taskId()))
                .collect(Collectors.toList());
        writeResources(tx, tasks, upserted.replaced(), now);
        List<String> recount = edges.stream()
                .filter(e -> written.contains(e.taskId()) && !written.contains(e.requiresId()))
                .map(Plan.Edge::taskId).distinct().sorted().collect(Collectors.toList());
        for (int from = 0; from < recount.size(); from += TASK_CHUNK) {
            recountUnfinished(tx, recount.subList(from, Math.min(recount.size(), from + TASK_CHUNK)));
        }
        recordPlanned(tx, runId, tasks, now);
        dialect.analyzeAfterPlan(tx, written.size() + edges.size());
        return planned.stream().map(PlannedTask::taskId).filter(id -> !written.contains(id))
                .sorted().collect(Collectors.toList());
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

    private static void recordPlanned(DSLContext tx, long runId, List<PlannedTask> written, Instant now) {
        EventLog.record(tx, written.stream()
                .map(t -> new TaskEvent(t.taskId(), runId, now, t.state(), null, "planned"))
                .collect(Collectors.toList()));
    }
}
