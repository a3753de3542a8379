package astra.core.db;

import static org.jooq.impl.DSL.inline;

import astra.core.db.AstraTables.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.Result;

/**
 * Ends claims that did not succeed: a task that has made no more than {@code retries} attempts
 * goes back to pending (worker cleared, error kept so users see why it ran again), any other
 * fails for good. Its dependents are not touched either way: they wait for a retry, or stay
 * held back by the failure. Shared by a worker reporting a failure and by the clean-up of
 * workers that died or stopped heartbeating.
 */
final class ClaimEnder {

    private static final Field<String> RUNNING = inline(TaskState.RUNNING.name());
    private static final Field<String> PENDING = inline(TaskState.PENDING.name());
    private static final Field<String> FAILED = inline(TaskState.FAILED.name());

    private final StoreDialect dialect;

    ClaimEnder(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Ends the running tasks that satisfy {@code which}, in one transaction's worth of
     * statements; returns their ids in id order (empty when none matched).
     */
    List<String> end(DSLContext tx, Condition which, String error, String detail, int retries, Instant now) {
        // Locked in id order, like every other multi-row lock in the store, so no deadlock.
        Result<Record4<String, Long, String, Integer>> held = dialect.forUpdate(
                        tx.select(Task.TASK_ID, Task.RUN_ID, Task.WORKER, Task.ATTEMPTS).from(Task.TABLE)
                                .where(Task.STATE.eq(RUNNING)).and(which)
                                .orderBy(Task.TASK_ID))
                .fetch();
        List<String> ended = new ArrayList<>(held.size());
        List<String> retried = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<TaskEvent> events = new ArrayList<>(held.size());
        for (Record4<String, Long, String, Integer> row : held) {
            String taskId = row.value1();
            ended.add(taskId);
            // Attempts are counted at claim: the first run is attempt 1.
            int attempt = row.value4();
            if (attempt <= retries) {
                retried.add(taskId);
                events.add(new TaskEvent(taskId, row.value2(), now, TaskState.PENDING, row.value3(),
                        "failed, will retry (attempt " + attempt + " of " + (retries + 1) + "): " + error));
            } else {
                failed.add(taskId);
                events.add(new TaskEvent(taskId, row.value2(), now, TaskState.FAILED, row.value3(), error));
            }
        }
        if (!retried.isEmpty()) {
            checkAll(retried, tx.update(Task.TABLE)
                    .set(Task.STATE, PENDING)
                    .setNull(Task.WORKER)
                    .set(Task.UPDATED_AT, now)
                    .set(Task.ERROR, error)
                    .set(Task.ERROR_DETAIL, detail)
                    .where(Task.TASK_ID.in(retried)).and(Task.STATE.eq(RUNNING))
                    .execute());
        }
        if (!failed.isEmpty()) {
            checkAll(failed, tx.update(Task.TABLE)
                    .set(Task.STATE, FAILED)
                    .set(Task.FINISHED_AT, now)
                    .set(Task.UPDATED_AT, now)
                    .set(Task.ERROR, error)
                    .set(Task.ERROR_DETAIL, detail)
                    .where(Task.TASK_ID.in(failed)).and(Task.STATE.eq(RUNNING))
                    .execute());
        }
        EventLog.record(tx, events);
        return ended;
    }

    private static void checkAll(List<String> taskIds, int updated) {
        if (updated != taskIds.size()) {
            throw new IllegalStateException("tasks " + taskIds + " changed under their row locks");
        }
    }
}
