package astra.core;

import java.util.List;
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
