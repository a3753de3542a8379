package astra.core.store;

import java.time.Instant;

/**
 * A worker process as it registered itself: where it runs, when it started, how long its
 * initializers took and how many times it built its database connections (once, for a healthy
 * child). {@code readyMillis} is the time from the process's start (its spawn) to its
 * registration, initializers done: 0 when unknown. {@code stoppedAt} and {@code stopReason} are
 * null while it runs.
 */
public record WorkerRecord(
        String workerId, long runId, String host, long pid, Instant startedAt, long initMillis, long readyMillis,
        int connects, Instant lastHeartbeat, int tasksRun, Instant stoppedAt, String stopReason) {

    /** A record whose ready time is unknown. */
    public WorkerRecord(String workerId, long runId, String host, long pid, Instant startedAt, long initMillis,
            int connects, Instant lastHeartbeat, int tasksRun, Instant stoppedAt, String stopReason) {
        this(workerId, runId, host, pid, startedAt, initMillis, 0, connects, lastHeartbeat, tasksRun, stoppedAt,
                stopReason);
    }
}
