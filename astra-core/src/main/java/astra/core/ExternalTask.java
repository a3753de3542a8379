package astra.core;

/**
 * Data produced outside Astra, such as raw frames from a telescope. Astra never runs it; when it
 * is incomplete, the tasks that need it cannot run and the summary names it as missing data.
 * Declare an {@link #output()} or override {@link #complete()} to say how to find the data.
 */
public interface ExternalTask extends Task {

    @Override
    default void run(TaskContext ctx) {
        throw new IllegalStateException("an external task is produced outside Astra and is never run");
    }
}
