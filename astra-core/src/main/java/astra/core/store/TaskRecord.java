package astra.core.store;

import java.time.Instant;

/** A task's row in the task table. Times are null until they happen. */
public record TaskRecord(
        String taskId, String family, String className, String paramsJson, TaskState state,
        int attempts, int unfinishedDeps, int priority, Long runId, String worker,
        Instant startedAt, Instant finishedAt, String error) {}
