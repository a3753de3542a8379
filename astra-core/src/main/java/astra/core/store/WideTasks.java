package astra.core.store;

import static astra.core.store.AstraTables.States.DONE;
import static astra.core.store.AstraTables.States.PENDING;
import static org.jooq.impl.DSL.inline;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Task;
import java.time.Instant;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.impl.DSL;

/**
 * Tasks with many requirements (a wrapper over a fan-out of leaves). A task's count of
 * unfinished requirements normally goes down by one as each requirement finishes, in that
 * requirement's transaction; for a wrapper over 100,000 leaves that rewrites one row 100,000
 * times, a hot row that every worker waits for (on PostgreSQL each rewrite also leaves a dead
 * version that cannot be HOT-updated, and the fan-out took 12 minutes). A wide task's row is
 * written by no requirement: a claim that finds nothing ready settles it instead, scanning its
 * requirements in id order from {@code done_through}, the point before which every one is known
 * done, to the first one not done. Over a run the scans read each edge about once, and the wide
 * task's row is written once per settle that moved, never once per leaf.
 */
final class WideTasks {

    /** More requirements than this make a task wide; fewer keep the exact per-release count. */
    static final int WIDE = 32;

    private WideTasks() {}

    /** Whether the task of the current row has more than {@link #WIDE} requirements: for an update's SET. */
    static Field<Boolean> isWide() {
        return DSL.field(DSL.select(DSL.count()).from(Edge.TABLE).where(Edge.TASK_ID.eq(Task.TASK_ID)).asField()
                .gt(inline(WIDE)));
    }

    /** Dependents a requirement's release writes: those that are not wide. */
    static Condition releasedOneByOne() {
        return Task.WIDE.eq(inline(false));
    }

    /**
     * Settles the run's pending wide tasks: each whose requirements are all done becomes ready
     * (its count 0); for the others {@code done_through} moves to the first requirement not done.
     * On PostgreSQL a wide task another transaction is settling is waited for, not skipped: that
     * one may have seen the last requirement still running, and the transaction that finished it
     * (this one, seeing its own record) must then release the task, or no one would and the run
     * would end with it pending. Wide tasks are locked in id order. Returns how many became ready.
     */
    static int settle(DSLContext tx, StoreDialect dialect, long runId, Instant now) {
        var candidates = dialect.forUpdate(tx.select(Task.TASK_ID, Task.DONE_THROUGH).from(Task.TABLE)
                        .where(Task.RUN_ID.eq(runId)).and(Task.STATE.eq(PENDING)).and(Task.WIDE.eq(inline(true)))
                        .and(Task.UNFINISHED_DEPS.gt(inline(0)))
                        .orderBy(Task.TASK_ID))
                .fetch();
        int ready = 0;
        for (Record2<String, String> wide : candidates) {
            String taskId = wide.value1();
            String from = wide.value2();
            String firstNotDone = firstNotDone(tx, taskId, from);
            if (firstNotDone == null) {
                tx.update(Task.TABLE)
                        .set(Task.UNFINISHED_DEPS, 0)
                        .setNull(Task.DONE_THROUGH)
                        .set(Task.UPDATED_AT, now)
                        .where(Task.TASK_ID.eq(taskId))
                        .execute();
                ready++;
            } else if (!firstNotDone.equals(from)) {
                tx.update(Task.TABLE)
                        .set(Task.DONE_THROUGH, firstNotDone)
                        .where(Task.TASK_ID.eq(taskId))
                        .execute();
            }
        }
        return ready;
    }

    /**
     * The task's first requirement (in id order, from {@code from} on) whose row is not DONE,
     * or null when there is none. A requirement without a row (it could not be scheduled) is
     * never done.
     */
    private static String firstNotDone(DSLContext tx, String taskId, String from) {
        var required = Task.TABLE.as("r");
        Field<String> requiredId = DSL.field(DSL.name("r", "task_id"), String.class);
        Field<String> requiredState = DSL.field(DSL.name("r", "state"), String.class);
        return tx.select(Edge.REQUIRES_ID).from(Edge.TABLE)
                .leftJoin(required).on(requiredId.eq(Edge.REQUIRES_ID))
                .where(Edge.TASK_ID.eq(taskId))
                .and(from == null ? DSL.noCondition() : Edge.REQUIRES_ID.ge(from))
                .and(requiredState.isNull().or(requiredState.ne(DONE)))
                .orderBy(Edge.REQUIRES_ID)
                .limit(inline(1))
                .fetchOne(Edge.REQUIRES_ID);
    }
}
