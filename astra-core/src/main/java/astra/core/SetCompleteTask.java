package astra.core;

import java.util.List;

/**
 * A task whose family answers "which of these are complete?" for many tasks at once: one query
 * for a thousand tasks instead of a thousand queries, for a family whose results live in your
 * own table (one row per spectrum, say). Luigi's {@code bulk_complete}.
 *
 * <p>While it builds the graph, the scheduler gives {@link #completeEach} the family's tasks in
 * chunks of at most {@value #MAX_CHUNK}, instead of calling {@link #complete()} on each. The
 * database is reached as in {@code complete()}: {@code Database.current()}.
 *
 * <pre>{@code
 * public record FitSpectrum(@Param(description = "Spectrum") long specId) implements SetCompleteTask<FitSpectrum> {
 *     public List<Boolean> completeEach(List<FitSpectrum> tasks) {
 *         Set<Long> done = new HashSet<>(Database.current().dsl().select(SPEC_ID).from(RESULTS)
 *                 .where(SPEC_ID.in(tasks.stream().map(FitSpectrum::specId).toList())).fetch(SPEC_ID));
 *         return tasks.stream().map(t -> done.contains(t.specId())).toList();
 *     }
 *     public void run(TaskContext ctx) throws Exception { ... }
 * }
 * }</pre>
 *
 * @param <T> the task class itself
 */
public interface SetCompleteTask<T extends Task> extends Task {

    /** The most tasks one {@link #completeEach} call is given, so that its query stays bounded. */
    int MAX_CHUNK = 1_000;

    /**
     * Whether each of {@code tasks} is complete: one non-null answer per task, in their order.
     * Called on one of them (any); the list is never empty, holds at most {@value #MAX_CHUNK}
     * tasks, and cannot be modified. With {@code [core] parallel_scheduling} on, calls for
     * different chunks may run at once on different threads.
     *
     * <p>Throwing, or returning a list of another size, is a scheduling error of every task
     * given; a {@code null} answer is one of that task only.
     */
    List<Boolean> completeEach(List<T> tasks);

    /**
     * This task alone, through {@link #completeEach}. Override it only if one task has a cheaper
     * answer of its own; the scheduler does not call it.
     *
     * @throws IllegalStateException if {@code completeEach} does not give one non-null answer
     */
    @Override
    @SuppressWarnings("unchecked")
    default boolean complete() {
        List<Boolean> answers = completeEach(List.of((T) this));
        if (answers == null || answers.size() != 1 || answers.get(0) == null) {
            throw new IllegalStateException("completeEach() gave " + answers + " for one task; it must give one answer per task");
        }
        return answers.get(0);
    }
}
