package astra.worker;

/**
 * How a worker loop behaves: how many tasks it runs before it ends so its process can be
 * replaced (0: no limit, like {@code maxtasksperchild}). How long it waits out an outage of the
 * database is the database's ({@code [database] outage_timeout}).
 */
public record LoopOptions(int maxTasks) {

    public static final LoopOptions DEFAULTS = new LoopOptions(0);

    public LoopOptions {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks cannot be negative");
        }
    }
}
