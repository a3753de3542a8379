package astra.core.store;

import java.time.Instant;

/** One entry of a task's history: a state change with its time, run, worker and message. */
public record TaskEvent(String taskId, Long runId, Instant at, TaskState state, String worker, String message) {}
