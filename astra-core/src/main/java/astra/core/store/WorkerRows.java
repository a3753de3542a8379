package astra.core.store;

import static org.jooq.impl.DSL.selectOne;

import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Worker;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Writes and reads the worker table. */
final class WorkerRows {

    private WorkerRows() {}

    /**
     * Inserts the worker; a null {@code startedAt} becomes {@code now}.
     *
     * @throws IllegalArgumentException if its run is unknown or its id is already registered
     */
    static void insert(DSLContext tx, WorkerRecord w, Instant now) {
        if (!tx.fetchExists(selectOne().from(Run.TABLE).where(Run.RUN_ID.eq(w.runId())))) {
            throw new IllegalArgumentException("cannot register worker " + w.workerId() + ": no run " + w.runId());
        }
        int inserted = tx.insertInto(Worker.TABLE)
                .set(Worker.WORKER_ID, w.workerId())
                .set(Worker.RUN_ID, w.runId())
                .set(Worker.HOST, w.host())
                .set(Worker.PID, w.pid())
                .set(Worker.STARTED_AT, w.startedAt() == null ? now : micros(w.startedAt()))
                .set(Worker.INIT_MILLIS, w.initMillis())
                .set(Worker.READY_MILLIS, w.readyMillis() > 0 ? w.readyMillis() : null)
                .set(Worker.CONNECTS, w.connects())
                .set(Worker.LAST_HEARTBEAT, micros(w.lastHeartbeat()))
                .set(Worker.TASKS_RUN, w.tasksRun())
                .set(Worker.STOPPED_AT, micros(w.stoppedAt()))
                .set(Worker.STOP_REASON, w.stopReason())
                .onConflictDoNothing()
                .execute();
        if (inserted != 1) {
            throw new IllegalArgumentException("worker " + w.workerId() + " is already registered");
        }
    }

    /** Sets the worker's heartbeat and task count; false if no such worker is registered. */
    static boolean heartbeat(DSLContext tx, String workerId, int tasksRun, Instant now) {
        return tx.update(Worker.TABLE)
                .set(Worker.LAST_HEARTBEAT, now)
                .set(Worker.TASKS_RUN, tasksRun)
                .where(Worker.WORKER_ID.eq(workerId))
                .execute() == 1;
    }

    /** Records the first stop of a worker; a later one, or one of an unknown worker, changes nothing. */
    static void stopped(DSLContext tx, String workerId, String reason, Instant now) {
        tx.update(Worker.TABLE)
                .set(Worker.STOPPED_AT, now)
                .set(Worker.STOP_REASON, reason)
                .where(Worker.WORKER_ID.eq(workerId)).and(Worker.STOPPED_AT.isNull())
                .execute();
    }

    static List<WorkerRecord> ofRun(DSLContext dsl, long runId) {
        return dsl.select(Worker.WORKER_ID, Worker.RUN_ID, Worker.HOST, Worker.PID, Worker.STARTED_AT,
                        Worker.INIT_MILLIS, Worker.READY_MILLIS, Worker.CONNECTS, Worker.LAST_HEARTBEAT, Worker.TASKS_RUN,
                        Worker.STOPPED_AT, Worker.STOP_REASON)
                .from(Worker.TABLE)
                .where(Worker.RUN_ID.eq(runId))
                .orderBy(Worker.STARTED_AT, Worker.WORKER_ID)
                .fetch(WorkerRows::of);
    }

    private static WorkerRecord of(Record r) {
        return new WorkerRecord(r.get(Worker.WORKER_ID), r.get(Worker.RUN_ID), r.get(Worker.HOST),
                orZero(r.get(Worker.PID)), r.get(Worker.STARTED_AT), orZero(r.get(Worker.INIT_MILLIS)),
                orZero(r.get(Worker.READY_MILLIS)), r.get(Worker.CONNECTS) == null ? 0 : r.get(Worker.CONNECTS),
                r.get(Worker.LAST_HEARTBEAT), r.get(Worker.TASKS_RUN), r.get(Worker.STOPPED_AT),
                r.get(Worker.STOP_REASON));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** What both databases keep, so a record reads back equal to what was written. */
    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
