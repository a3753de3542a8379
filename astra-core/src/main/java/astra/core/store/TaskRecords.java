package astra.core.store;

import astra.core.store.AstraTables.Task;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectJoinStep;

/** Reads whole task rows into {@link TaskRecord}s. */
final class TaskRecords {

    private static final List<Field<?>> COLUMNS = List.of(
            Task.TASK_ID, Task.FAMILY, Task.CLASS_NAME, Task.PARAMS, Task.STATE, Task.ATTEMPTS,
            Task.UNFINISHED_DEPS, Task.PRIORITY, Task.RUN_ID, Task.WORKER, Task.STARTED_AT,
            Task.FINISHED_AT, Task.ERROR);

    private TaskRecords() {}

    static SelectJoinStep<Record> select(DSLContext dsl) {
        return dsl.select(COLUMNS).from(Task.TABLE);
    }

    static TaskRecord of(Record r) {
        return new TaskRecord(r.get(Task.TASK_ID), r.get(Task.FAMILY), r.get(Task.CLASS_NAME), r.get(Task.PARAMS),
                TaskState.valueOf(r.get(Task.STATE)), r.get(Task.ATTEMPTS), r.get(Task.UNFINISHED_DEPS),
                r.get(Task.PRIORITY), r.get(Task.RUN_ID), r.get(Task.WORKER), r.get(Task.STARTED_AT),
                r.get(Task.FINISHED_AT), r.get(Task.ERROR));
    }
}
