package astra.core.store;

import astra.core.store.AstraTables.Event;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;

/** Writes and reads the task history table. */
final class EventLog {

    /** Rows per INSERT: 7 values each stays far below both databases' bind limits. */
    private static final int CHUNK = 1000;

    private static final List<Field<?>> COLUMNS =
            List.of(Event.TASK_ID, Event.RUN_ID, Event.AT, Event.STATE, Event.WORKER, Event.MESSAGE);

    private EventLog() {}

    static void record(DSLContext tx, TaskEvent event) {
        record(tx, List.of(event));
    }

    static void record(DSLContext tx, List<TaskEvent> events) {
        for (int from = 0; from < events.size(); from += CHUNK) {
            InsertValuesStepN<Record> insert = tx.insertInto(Event.TABLE, COLUMNS);
            for (TaskEvent e : events.subList(from, Math.min(events.size(), from + CHUNK))) {
                List<Object> row = new ArrayList<>(COLUMNS.size());
                row.add(e.taskId());
                row.add(e.runId());
                row.add(e.at());
                row.add(e.state() == null ? null : e.state().name());
                row.add(e.worker());
                row.add(e.message());
                insert = insert.values(row);
            }
            insert.execute();
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
