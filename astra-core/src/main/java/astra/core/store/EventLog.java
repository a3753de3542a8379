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

    private static List<TaskEvent> where(DSLContext dsl, Condition condition) {
        return dsl.select(Event.TASK_ID, Event.RUN_ID, Event.AT, Event.STATE, Event.WORKER, Event.MESSAGE)
                .from(Event.TABLE)
                .where(condition)
                .orderBy(Event.EVENT_ID)
                .fetch(r -> new TaskEvent(r.value1(), r.value2(), r.value3(),
                        r.value4() == null ? null : TaskState.valueOf(r.value4()), r.value5(), r.value6()));
    }
}
