package astra.core.store;

import static astra.core.store.AstraTables.States.PENDING;
import static astra.core.store.AstraTables.States.RUNNING;
import static org.jooq.impl.DSL.inline;

import astra.core.store.AstraTables.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record7;
import org.jooq.Result;

/**
 * Ends claims that did not succeed: a task that has made no more attempts than its policy
 * retries (the row's {@code retries}) goes back to pending, claimable again after its
 * {@code retry_delay_ms} (worker cleared, error kept so users see why it ran again); any other
 * fails for good. Its dependents are not touched either way: they wait for a retry, or stay
 * held back by the failure. Shared by a worker reporting a failure and by the clean-up of
 * workers that died or stopped heartbeating. A task claimed ahead that its worker never started
 * (no start recorded: see {@code Claims.claimIn}) goes back to pending without counting the
 * attempt, since it did not fail.
 */
final class ClaimEnder {

    /** How the event of a failure that will be tried again begins (a PENDING event). */
    static final String RETRY_MESSAGE = "failed, will retry";

    private static final Field<String> FAILED = inline(TaskState.FAILED.name());

    private final StoreDialect dialect;

    ClaimEnder(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Ends the running tasks that satisfy {@code which}, in one transaction's worth of
     * statements; returns their ids in id order (empty when none matched).
     */
    List<String> end(DSLContext tx, Condition which, String error, String detail, Instant now) {
        return end(tx, which, error, detail, now, false);
    }

    /**
     * As {@link #end(DSLContext, Condition, String, String, Instant)}; {@code started} says the
     * tasks ran (their worker reports how), so each counts its attempt even if no start was recorded.
     */
    List<String> end(DSLContext tx, Condition which, String error, String detail, Instant now, boolean started) {
        // Locked in id order, like every other multi-row lock in the store, so no deadlock.
        Result<Record7<String, Long, String, Integer, Integer, Long, Instant>> held = dialect.forUpdate(
                        tx.select(Task.TASK_ID, Task.RUN_ID, Task.WORKER, Task.ATTEMPTS, Task.RETRIES, Task.RETRY_DELAY_MS,
                                        Task.STARTED_AT)
                                .from(Task.TABLE)
                                .where(Task.STATE.eq(RUNNING)).and(which)
                                .orderBy(Task.TASK_ID))
                .fetch();
        List<String> ended = new ArrayList<>(held.size());
        List<String> failed = new ArrayList<>();
        List<TaskEvent> events = new ArrayList<>(held.size());
        for (Record7<String, Long, String, Integer, Integer, Long, Instant> row : held) {
            String taskId = row.value1();
            ended.add(taskId);
            if (row.value7() == null && !started) {
                events.add(new TaskEvent(taskId, row.value2(), now, TaskState.PENDING, row.value3(),
                        "released before it started: " + error));
                checkAll(List.of(taskId), tx.update(Task.TABLE)
                        .set(Task.STATE, PENDING)
                        .setNull(Task.WORKER)
                        .set(Task.ATTEMPTS, Task.ATTEMPTS.minus(1))
                        .set(Task.UPDATED_AT, now)
                        .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(RUNNING))
                        .execute());
                continue;
            }
            // Attempts are counted at claim: the first run is attempt 1.
            int attempt = row.value4();
            int retries = row.value5();
            if (attempt <= retries) {
                long delay = row.value6();
                events.add(new TaskEvent(taskId, row.value2(), now, TaskState.PENDING, row.value3(),
                        RETRY_MESSAGE + (delay > 0 ? " in " + Duration.ofMillis(delay).toString().substring(2).toLowerCase() : "")
                                + " (attempt " + attempt + " of " + (retries + 1) + "): " + error));
                checkAll(List.of(taskId), tx.update(Task.TABLE)
                        .set(Task.STATE, PENDING)
                        .setNull(Task.WORKER)
                        .set(Task.UPDATED_AT, now)
                        .set(Task.NOT_BEFORE, delay > 0 ? now.plusMillis(delay) : null)
                        .set(Task.ERROR, error)
                        .set(Task.ERROR_DETAIL, detail)
                        .where(Task.TASK_ID.eq(taskId)).and(Task.STATE.eq(RUNNING))
                        .execute());
            } else {
                failed.add(taskId);
                events.add(new TaskEvent(taskId, row.value2(), now, TaskState.FAILED, row.value3(), error));
            }
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
