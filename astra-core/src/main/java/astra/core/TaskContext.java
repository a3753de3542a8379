package astra.core;

import java.util.List;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.slf4j.Logger;

/** What a running task gets from Astra. */
public interface TaskContext {

    /** The task's id, as shown by the summary and stored in the task table. */
    String taskId();

    /** jOOQ on this process's database connections (pooled unless pooling is off). */
    DSLContext db();

    /** A logger named after the task's family. */
    Logger logger();

    /** Reports progress between 0 and 1. */
    void setProgress(double fraction);

    /** Reports a one-line status, such as "fitting 120 of 500 spectra". */
    void setStatus(String status);

    /**
     * What this worker process's initializers prepared, by type: a model loaded once per process,
     * a lookup table. Initializers are configured as {@code [worker] initializers}.
     *
     * @throws IllegalStateException if no initializer of this process provided one
     */
    <T> T resource(Class<T> type);

    /** The outputs of {@link Task#requires()}, in order, flattened. */
    List<Target> input();

    /**
     * Requires more tasks, found while running (dynamic dependencies). If they are all complete
     * this returns their outputs at once. Otherwise the task is suspended (this method throws an
     * {@link Suspended} that the task must not catch), the new requirements are scheduled, and
     * {@link Task#run} is called again from the start once they are done.
     */
    List<Target> require(Task... tasks);

    /**
     * Writes the task's results to the database exactly once: runs {@code work} in one transaction
     * with the record of this task done, which commits only while this worker still holds the
     * task's claim. Write through the {@code DSLContext} given to {@code work} (not {@link #db()}),
     * on Astra's own database. A worker that lost its claim (frozen or cut off past
     * {@code [scheduler] lease}, while another worker ran the task) commits nothing: this then
     * throws {@link ClaimLost}, which the task should let propagate. {@code work} may run more
     * than once (after a deadlock, or when the database was away), each earlier try rolled back;
     * what it throws rolls everything back and fails the attempt as usual.
     *
     * <p>Call it once, as the task's last step: the task is done when it returns. Without it a
     * task is recorded done after {@link Task#run} returns, in a transaction of its own: its
     * results are then written at least once, and may be written again by a rerun.
     *
     * @return what {@code work} returned
     * @throws IllegalStateException if called a second time in one attempt
     */
    <T> T transaction(Function<DSLContext, T> work);

    /** Thrown by {@link #transaction} when this worker no longer holds the task's claim: nothing was committed. */
    final class ClaimLost extends RuntimeException {
        public ClaimLost(String taskId) {
            super("no longer holds the claim on " + taskId + ": another worker runs it; nothing was committed", null,
                    false, false);
        }
    }

    /** Thrown by {@link #require} to suspend a task until new requirements are done. */
    final class Suspended extends RuntimeException {
        private final transient List<Task> requirements;

        public Suspended(List<Task> requirements) {
            super("suspended until " + requirements.size() + " new requirement(s) are done", null, false, false);
            this.requirements = List.copyOf(requirements);
        }

        public List<Task> requirements() {
            return requirements;
        }
    }
}
