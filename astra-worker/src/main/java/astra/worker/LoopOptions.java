package astra.worker;

import java.time.Duration;
import java.time.Instant;

/**
 * How a worker loop behaves: how many tasks it runs before it ends so its process can be
 * replaced (0: no limit, like {@code maxtasksperchild}), and when it must be done by (a Slurm
 * job's time limit; null for none). How long it waits out an outage of the database is the
 * database's ({@code [database] outage_timeout}).
 *
 * @param endBy the loop claims no task it does not expect to finish {@link #END_MARGIN} before
 *     this, expecting of each family the longest its done tasks have taken; null: no deadline
 */
public record LoopOptions(int maxTasks, Instant endBy) {

    public static final LoopOptions DEFAULTS = new LoopOptions(0, null);

    /** Left free before {@link #endBy}: for recording the last outcome, and the process's exit. */
    public static final Duration END_MARGIN = Duration.ofSeconds(15);

    public LoopOptions {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks cannot be negative");
        }
    }

    public LoopOptions(int maxTasks) {
        this(maxTasks, null);
    }
}
