package astra.core.store;

/** A task a worker has claimed: enough to rebuild it. {@code attempt} counts from 1. */
public record ClaimedTask(String taskId, String family, String className, String paramsJson, int attempt) {}
