package astra.core;

import java.util.List;

/**
 * A task whose family runs many instances in one call, for work where the per-task cost is
 * small next to a per-call cost (a model applied to 500 spectra at once, one multi-row insert
 * instead of 500): Luigi's {@code batch_method}.
 *
 * <p>Mark the parameters in which members of a batch may differ with
 * {@code @Param(batch = true)}. Ready tasks of the family whose other parameters are all equal
 * are claimed together, up to {@link #batchSize()} of them, and given to one
 * {@link #runBatch} call. Each member is still a task of its own: it has its own id, row,
 * attempts and history, it is recorded done or failed on its own, and its dependents wait for
 * it alone.
 *
 * <pre>{@code
 * public record FitSpectrum(String release, @Param(batch = true) long specId)
 *         implements BatchTask<FitSpectrum> {
 *     public int batchSize() { return 500; }
 *     public void runBatch(List<FitSpectrum> batch, BatchContext<FitSpectrum> ctx) { ... }
 * }
 * }</pre>
 *
 * <p>Limits: a batch task cannot require tasks while it runs (there is no
 * {@code ctx.require}), and a batchable family cannot use {@linkplain Task#resources()
 * resources}; scheduling one that does fails with a message saying so. A timeout configured
 * for the family applies to the whole {@code runBatch} call.
 *
 * @param <T> the task class itself
 */
public interface BatchTask<T extends Task> extends Task {

    /** The most tasks one {@link #runBatch} call is given. 100 by default; at least 1. */
    default int batchSize() {
        return 100;
    }

    /**
     * Does the work of every member of {@code batch} (this task is one of them; the list is
     * never empty and holds each member once). Members failed with {@link BatchContext#fail}
     * are failed; the others are done when this returns. Throwing fails every member not
     * already failed, with what was thrown. Each failed member is retried on its own, under its
     * family's retry policy.
     */
    void runBatch(List<T> batch, BatchContext<T> ctx) throws Exception;

    /** Runs this task as a batch of one. */
    @Override
    @SuppressWarnings("unchecked")
    default void run(TaskContext ctx) throws Exception {
        OneMemberBatch<T> batch = new OneMemberBatch<>((T) this, ctx);
        runBatch(List.of((T) this), batch);
        batch.throwIfFailed();
    }
}
