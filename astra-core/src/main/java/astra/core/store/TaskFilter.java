package astra.core.store;

/**
 * Which task rows a question is about: each part that is not null narrows it (a family, a state,
 * the run that owns the row).
 */
public record TaskFilter(String family, TaskState state, Long runId) {

    public static final TaskFilter ALL = new TaskFilter(null, null, null);
}
