package astra.core;

import astra.core.internal.TaskRuntime;
import java.util.List;
import java.util.Map;

/**
 * A unit of work in a pipeline.
 *
 * <p>A task is either a {@code record}, whose components are all its parameters, or a class
 * whose parameters are fields annotated with {@link Param} (inherited fields count). Two tasks
 * of the same family with equal significant parameters are the same task: they share one
 * {@linkplain Tasks#id(Task) task id}.
 *
 * <pre>{@code
 * public record Normalize(@Param(description = "MJD of the plate") int mjd) implements Task {
 *     public List<Task> requires() { return List.of(new Reduce(mjd)); }
 *     public List<FileTarget> output() { return List.of(new FileTarget(Path.of("out", mjd + ".csv"))); }
 *     public void run(TaskContext ctx) throws Exception { ... }
 * }
 * }</pre>
 */
public interface Task {

    /** The tasks that must be complete before this one runs. None by default. */
    default List<? extends Task> requires() {
        return List.of();
    }

    /** What this task produces. None by default. */
    default List<? extends Target> output() {
        return List.of();
    }

    /**
     * Whether this task's work is already done.
     *
     * <p>By default: if {@link #output()} is non-empty, all outputs exist; otherwise the task is
     * recorded as done in Astra's task table. The scheduler answers this default for many tasks
     * at once (one query per chunk of ids), so override it only when completeness really is
     * something else, such as a row in your own results table.
     */
    default boolean complete() {
        List<? extends Target> outputs = output();
        if (!outputs.isEmpty()) {
            return outputs.stream().allMatch(Target::exists);
        }
        return TaskRuntime.store().isDone(Tasks.id(this));
    }

    /** Does the work. Throwing fails the task; its dependents are not run. */
    void run(TaskContext ctx) throws Exception;

    /**
     * Among tasks ready to run, higher priorities run first. A requirement runs at least at the
     * highest priority of the tasks that need it. 0 by default.
     */
    default int priority() {
        return 0;
    }

    /**
     * The shared resources this task uses while it runs, by name, such as {@code Map.of("gpu", 1)}.
     * Running tasks never use more of a resource than its capacity in the config's
     * {@code [resources]} section (1 for a resource not listed there), across every worker of
     * every run on the same database. None by default.
     */
    default Map<String, Integer> resources() {
        return Map.of();
    }
}
