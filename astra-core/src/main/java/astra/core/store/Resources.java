package astra.core.store;

import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.sum;

import astra.core.store.AstraTables.Resource;
import astra.core.store.AstraTables.TaskResource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Select;
import org.jooq.impl.DSL;

/**
 * Shared resources ({@code [resources] gpu = 1}): their capacities, and the conditions that keep
 * the tasks running at once, across every worker and run on the database, within them.
 */
final class Resources {

    private Resources() {}

    /** Thrown inside a claim's transaction, to roll it back, when the claim took more than the room left. */
    static final class Overbooked extends RuntimeException {
        Overbooked(String taskId) {
            super("claiming " + taskId + " would overbook a resource", null, false, false);
        }
    }

    /**
     * The resources the task {@code taskId} uses that lack room for it, given what the running
     * tasks use: empty when it may start.
     */
    static Select<?> lacking(Field<String> taskId) {
        var use = TaskResource.TABLE.as("tr");
        Field<String> useTask = field(name("tr", "task_id"), String.class);
        Field<String> useResource = field(name("tr", "resource"), String.class);
        Field<Integer> useAmount = field(name("tr", "amount"), Integer.class);
        var resource = Resource.TABLE.as("rc");
        Field<String> resourceName = field(name("rc", "name"), String.class);
        Field<Integer> capacity = field(name("rc", "capacity"), Integer.class);
        return selectOne().from(use).join(resource).on(resourceName.eq(useResource))
                .where(useTask.eq(taskId))
                .and(useAmount.plus(inUse(useResource)).gt(capacity));
    }

    /** The resources the task {@code taskId} uses: empty when it uses none. */
    static Select<?> used(Field<String> taskId) {
        return selectOne().from(TaskResource.TABLE).where(TaskResource.TASK_ID.eq(taskId));
    }

    /** Whether the claimed row uses any resource: asked in the claim's {@code RETURNING}, so no extra query. */
    static final Field<Boolean> USES_ANY = field(DSL.exists(used(AstraTables.Task.TASK_ID))).as("uses_resources");

    /** What the running tasks use of a resource; the running rows are few, and indexed. */
    private static Field<BigDecimal> inUse(Field<String> resource) {
        var use = TaskResource.TABLE.as("ru");
        Field<String> useTask = field(name("ru", "task_id"), String.class);
        Field<String> useResource = field(name("ru", "resource"), String.class);
        Field<Integer> useAmount = field(name("ru", "amount"), Integer.class);
        var running = AstraTables.Task.TABLE.as("rt");
        Field<String> runningId = field(name("rt", "task_id"), String.class);
        Field<String> runningState = field(name("rt", "state"), String.class);
        return field(select(coalesce(sum(useAmount), BigDecimal.ZERO)).from(running).join(use).on(useTask.eq(runningId))
                .where(runningState.eq(inline(TaskState.RUNNING.name()))).and(useResource.eq(resource)));
    }

    /**
     * Checks, after claiming {@code taskId} in this transaction, that no resource it uses is
     * over capacity. The resource rows are locked first (in name order), so of two claims made
     * at once the second sees the first committed; it then throws {@link Overbooked}.
     */
    static void checkRoom(DSLContext tx, StoreDialect dialect, String taskId) {
        List<String> used = tx.select(TaskResource.RESOURCE).from(TaskResource.TABLE)
                .where(TaskResource.TASK_ID.eq(taskId))
                .orderBy(TaskResource.RESOURCE)
                .fetch(TaskResource.RESOURCE);
        if (used.isEmpty()) {
            return;
        }
        dialect.forUpdate(tx.select(Resource.NAME).from(Resource.TABLE)
                        .where(Resource.NAME.in(used)).orderBy(Resource.NAME))
                .fetch();
        boolean over = tx.fetchExists(selectOne().from(Resource.TABLE)
                .where(Resource.NAME.in(used))
                .and(inUse(Resource.NAME).gt(Resource.CAPACITY.cast(BigDecimal.class))));
        if (over) {
            throw new Overbooked(taskId);
        }
    }

    /** Sets capacities (creating the resources that are new); resources not named keep theirs. */
    static void setCapacities(DSLContext tx, Map<String, Integer> capacities, Instant now) {
        new TreeMap<>(capacities).forEach((resource, capacity) -> {
            if (capacity == null || capacity < 0) {
                throw new IllegalArgumentException("resource " + resource + " needs a capacity of 0 or more, got " + capacity);
            }
            tx.insertInto(Resource.TABLE, Resource.NAME, Resource.CAPACITY, Resource.UPDATED_AT)
                    .values(resource, capacity, now)
                    .onConflict(Resource.NAME).doUpdate()
                    .set(Resource.CAPACITY, capacity)
                    .set(Resource.UPDATED_AT, now)
                    .execute();
        });
    }

    static Map<String, Integer> capacities(DSLContext dsl) {
        Map<String, Integer> all = new TreeMap<>();
        dsl.select(Resource.NAME, Resource.CAPACITY).from(Resource.TABLE)
                .forEach(r -> all.put(r.value1(), r.value2()));
        return all;
    }
}
