package astra.core.store;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** The read-only questions {@code astra status} and {@code astra reset} ask about task rows. */
final class TaskQueries {

    /** Ids per {@code IN (...)} list. */
    private static final int CHUNK = 500;

    private TaskQueries() {}

    static Condition matching(TaskFilter filter) {
        Condition c = DSL.noCondition();
        if (filter.family() != null) {
            c = c.and(Task.FAMILY.eq(filter.family()));
        }
        if (filter.state() != null) {
            c = c.and(Task.STATE.eq(filter.state().name()));
        }
        if (filter.runId() != null) {
            c = c.and(Task.RUN_ID.eq(filter.runId()));
        }
        return c;
    }

    static List<StateCount> count(DSLContext db, TaskFilter filter) {
        Field<Integer> count = DSL.count();
        return db.select(Task.FAMILY, Task.STATE, count).from(Task.TABLE)
                .where(matching(filter))
                .groupBy(Task.FAMILY, Task.STATE)
                .orderBy(Task.FAMILY, Task.STATE)
                .fetch(r -> new StateCount(r.value1(), TaskState.valueOf(r.value2()), r.value3()));
    }

    static List<TaskRecord> find(DSLContext db, TaskFilter filter, int limit) {
        return TaskRecords.select(db).where(matching(filter))
                .orderBy(Task.UPDATED_AT.desc(), Task.TASK_ID)
                .limit(limit)
                .fetch(TaskRecords::of);
    }

    static List<String> families(DSLContext db) {
        return db.selectDistinct(Task.FAMILY).from(Task.TABLE).orderBy(Task.FAMILY).fetch(Task.FAMILY);
    }

    static Optional<Long> latestRunId(DSLContext db) {
        return Optional.ofNullable(db.select(DSL.max(Run.RUN_ID)).from(Run.TABLE).fetchOne(0, Long.class));
    }

    /** The tasks that require these, directly or through others, by the recorded edges: a walk, one query per level and chunk. */
    static Set<String> dependentsOf(DSLContext db, Collection<String> taskIds) {
        Set<String> seen = new LinkedHashSet<>(taskIds);
        Set<String> found = new LinkedHashSet<>();
        List<String> level = new ArrayList<>(seen);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (int from = 0; from < level.size(); from += CHUNK) {
                for (String id : db.selectDistinct(Edge.TASK_ID).from(Edge.TABLE)
                        .where(Edge.REQUIRES_ID.in(level.subList(from, Math.min(level.size(), from + CHUNK))))
                        .orderBy(Edge.TASK_ID)
                        .fetch(Edge.TASK_ID)) {
                    if (seen.add(id)) {
                        found.add(id);
                        next.add(id);
                    }
                }
            }
            level = next;
        }
        return found;
    }
}
