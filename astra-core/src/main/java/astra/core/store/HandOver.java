package astra.core.store;

import static astra.core.store.AstraTables.States.PENDING;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record3;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Ownership of task rows between runs. A task row belongs to the run in its {@code run_id}, and
 * only that run's workers claim it; a run is live until it records an end. A pending task whose
 * run has ended (stopped, failed, abandoned) is an orphan: nobody would ever claim it. When a
 * live run needs an orphan (one of its pending tasks requires it, directly or through other
 * orphans), the orphan is handed over to that run (to the oldest, when several need it).
 */
final class HandOver {

    private static final Table<?> NEEDED = DSL.table(name("needed"));
    private static final Field<String> NEEDED_TASK = DSL.field(name("needed", "task_id"), String.class);
    private static final Field<Long> NEEDED_RUN = DSL.field(name("needed", "run_id"), Long.class);

    private final StoreDialect dialect;

    HandOver(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /** The run is live: it started and recorded no end. */
    static Condition isLive(Field<Long> runId) {
        return DSL.exists(selectOne().from(Run.TABLE).where(Run.RUN_ID.eq(runId)).and(Run.FINISHED_AT.isNull()));
    }

    /**
     * Hands every orphan a live run needs to that run, recording "handed over from run N" on
     * each; returns how many. Cheap when there is no orphan: the walk starts from them.
     */
    int orphans(DSLContext tx, Instant now) {
        Map<Long, Map<String, Long>> byNewRun = new TreeMap<>();
        for (Record3<String, Long, Long> r : neededOrphans(tx)) {
            byNewRun.computeIfAbsent(r.value3(), k -> new TreeMap<>()).put(r.value1(), r.value2());
        }
        if (byNewRun.isEmpty()) {
            return 0;
        }
        // Locked in id order, as every multi-row lock in the store, so no deadlock.
        List<String> all = byNewRun.values().stream().flatMap(m -> m.keySet().stream()).sorted().toList();
        for (int from = 0; from < all.size(); from += JooqTaskStore.DONE_CHUNK) {
            dialect.forUpdate(tx.select(Task.TASK_ID).from(Task.TABLE)
                            .where(dialect.in(Task.TASK_ID,
                                    all.subList(from, Math.min(all.size(), from + JooqTaskStore.DONE_CHUNK))))
                            .orderBy(Task.TASK_ID))
                    .fetch();
        }
        int moved = 0;
        for (Map.Entry<Long, Map<String, Long>> e : byNewRun.entrySet()) {
            long newRun = e.getKey();
            List<String> ids = new ArrayList<>(e.getValue().keySet());
            List<TaskEvent> events = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += JooqTaskStore.DONE_CHUNK) {
                // Guarded: a task claimed, or taken by another run, since the walk stays where it is.
                List<String> updated = tx.update(Task.TABLE)
                        .set(Task.RUN_ID, newRun)
                        .set(Task.UPDATED_AT, now)
                        .where(dialect.in(Task.TASK_ID,
                                ids.subList(from, Math.min(ids.size(), from + JooqTaskStore.DONE_CHUNK))))
                        .and(Task.STATE.eq(PENDING)).andNot(isLive(Task.RUN_ID))
                        .returningResult(Task.TASK_ID)
                        .fetch(Record1::value1);
                for (String id : updated) {
                    events.add(new TaskEvent(id, newRun, now, TaskState.PENDING, null,
                            "handed over from run " + e.getValue().get(id)));
                }
            }
            EventLog.record(tx, events);
            moved += events.size();
        }
        return moved;
    }

    /**
     * (orphan id, its run, the live run it goes to). Walks down from the pending tasks of live
     * runs through orphans only: a requirement that is done needs nothing, and one pending in a
     * live run is that run's to finish.
     */
    private static List<Record3<String, Long, Long>> neededOrphans(DSLContext tx) {
        Table<?> dependent = Task.TABLE.as("d");
        Field<String> dependentId = DSL.field(name("d", "task_id"), String.class);
        Field<String> dependentState = DSL.field(name("d", "state"), String.class);
        Field<Long> dependentRun = DSL.field(name("d", "run_id"), Long.class);
        Table<?> orphan = Task.TABLE.as("o");
        Field<String> orphanId = DSL.field(name("o", "task_id"), String.class);
        Field<Long> orphanRun = DSL.field(name("o", "run_id"), Long.class);
        // Through the runs that ended, so the (run_id, state) index finds their few pending rows.
        Condition isOrphan = DSL.field(name("o", "state"), String.class).eq(PENDING)
                .and(orphanRun.in(select(Run.RUN_ID).from(Run.TABLE).where(Run.FINISHED_AT.isNotNull())));

        CommonTableExpression<?> needed = name("needed").fields("task_id", "run_id").as(
                select(orphanId, dependentRun)
                        .from(orphan)
                        .join(Edge.TABLE).on(Edge.REQUIRES_ID.eq(orphanId))
                        .join(dependent).on(dependentId.eq(Edge.TASK_ID))
                        .where(isOrphan)
                        .and(dependentState.eq(PENDING)).and(isLive(dependentRun))
                        .union(select(orphanId, NEEDED_RUN)
                                .from(NEEDED)
                                .join(Edge.TABLE).on(Edge.TASK_ID.eq(NEEDED_TASK))
                                .join(orphan).on(orphanId.eq(Edge.REQUIRES_ID))
                                .where(isOrphan)));
        return tx.withRecursive(needed)
                .select(NEEDED_TASK, orphanRun, min(NEEDED_RUN))
                .from(NEEDED)
                .join(orphan).on(orphanId.eq(NEEDED_TASK))
                .groupBy(NEEDED_TASK, orphanRun)
                .fetch();
    }
}
