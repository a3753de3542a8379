package astra.core.db;

import java.time.Instant;

/**
 * A worker process as it registered itself: where it runs, when it started, how long its
 * initializers took and how many times it built its database connections (once, for a healthy
 * child). {@code stoppedAt} and {@code stopReason} are null while it runs.
 */
public record WorkerRecord(
        String workerId, long runId, String host, long pid, Instant startedAt, long initMillis,
        int connects, Instant lastHeartbeat, int tasksRun, Instant stoppedAt, String stopReason) {}
