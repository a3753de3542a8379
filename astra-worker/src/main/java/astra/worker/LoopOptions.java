package astra.worker;

import java.time.Duration;

/**
 * How a worker loop behaves: how many tasks it runs before it ends so its process can be
 * replaced (0: no limit, like {@code maxtasksperchild}), and how long it keeps trying when the database
 * fails.
 */
public record LoopOptions(int maxTasks, Duration databasePatience) {

    public static final LoopOptions DEFAULTS = new LoopOptions(0, Duration.ofSeconds(60));

    public LoopOptions {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks cannot be negative");
        }
    }
}
