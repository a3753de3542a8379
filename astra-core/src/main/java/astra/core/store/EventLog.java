package astra.core.store;

import astra.core.store.AstraTables.Event;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

/** Writes and reads the task history table. */
final class EventLog {

    private static final List<Field<?>> COLUMNS =
            List.of(Event.TASK_ID, Event.RUN_ID, Event.AT, Event.STATE, Event.WORKER, Event.MESSAGE);

    private EventLog() {}

    static void record(DSLContext tx, TaskEvent event) {
        record(tx, List.of(event));
    }

    static void record(DSLContext tx, List<TaskEvent> events) {
        StoreDialect dialect = StoreDialect.of(tx.dialect());
        int chunk = dialect.rowsPerInsert(COLUMNS.size());
        for (int from = 0; from < events.size(); from += chunk) {
            List<Object[]> rows = new ArrayList<>();
            for (TaskEvent e : events.subList(from, Math.min(events.size(), from + chunk))) {
                rows.add(new Object[] {e.taskId(), e.runId(), e.at(), e.state() == null ? null : e.state().name(),
                        e.worker(), e.message()});
            }
            dialect.insertRows(tx, Event.TABLE, COLUMNS, rows).execute();
        }
    }

    /** Every event of a task, in the order they were recorded. */
    static List<TaskEvent> of(DSLContext dsl, String taskId) {
        return where(dsl, Event.TASK_ID.eq(taskId));
    }

    /** Every event of a run, in the order they were recorded. */
    static List<TaskEvent> ofRun(DSLContext dsl, long runId) {
        return where(dsl, Event.RUN_ID.eq(runId));
    }

    /**
     * The run's successes (when {@code withSuccesses}), failures and failures that will be tried
     * again, recorded after event {@code afterEventId}, oldest first, at most {@code limit}.
     */
    static List<RunEvent> outcomesAfter(DSLContext dsl, long runId, long afterEventId, boolean withSuccesses, int limit) {
        Condition failure = Event.STATE.eq(TaskState.FAILED.name())
                .or(Event.STATE.eq(TaskState.PENDING.name()).and(Event.MESSAGE.startsWith(ClaimEnder.RETRY_MESSAGE)));
        return dsl.select(Event.EVENT_ID, Event.TASK_ID, AstraTables.Task.FAMILY, Event.AT, Event.STATE, Event.WORKER,
                        Event.MESSAGE)
                .from(Event.TABLE).join(AstraTables.Task.TABLE).on(AstraTables.Task.TASK_ID.eq(Event.TASK_ID))
                .where(Event.RUN_ID.eq(runId)).and(Event.EVENT_ID.gt(afterEventId))
                .and(withSuccesses ? failure.or(Event.STATE.eq(TaskState.DONE.name())) : failure)
                .orderBy(Event.EVENT_ID)
                .limit(limit)
                .fetch(r -> new RunEvent(r.value1(), runId, r.value2(), r.value3(), r.value4(),
                        TaskState.valueOf(r.value5()) == TaskState.DONE ? RunEvent.Kind.SUCCESS
                                : TaskState.valueOf(r.value5()) == TaskState.FAILED ? RunEvent.Kind.FAILURE
                                : RunEvent.Kind.RETRY, r.value6(), r.value7()));
    }


    private static List<TaskEvent> where(DSLContext dsl, Condition condition) {
        return dsl.select(Event.TASK_ID, Event.RUN_ID, Event.AT, Event.STATE, Event.WORKER, Event.MESSAGE)
                .from(Event.TABLE)
                .where(condition)
                .orderBy(Event.EVENT_ID)
                .fetch(r -> new TaskEvent(r.value1(), r.value2(), r.value3(),
                        r.value4() == null ? null : TaskState.valueOf(r.value4()), r.value5(), r.value6()));
    }
}
