package astra.core;

/**
 * A task that only groups others: complete when all its requirements are complete, with
 * nothing of its own to run.
 */
public interface WrapperTask extends Task {

    @Override
    default boolean complete() {
        return requires().stream().allMatch(Task::complete);
    }

    @Override
    default void run(TaskContext ctx) {
        // Nothing to do: the requirements are the work.
    }
}
