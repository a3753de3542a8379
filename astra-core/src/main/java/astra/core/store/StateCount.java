package astra.core.store;

/** How many task rows of a family are in a state. */
public record StateCount(String family, TaskState state, long count) {}
