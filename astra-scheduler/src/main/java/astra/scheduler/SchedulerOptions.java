package astra.scheduler;

import astra.core.AstraException;
import astra.core.config.Config;

/**
 * How a run schedules and executes: worker count and whether tasks' own {@code complete()}
 * methods are checked on a thread pool.
 */
public record SchedulerOptions(int workers, boolean parallelScheduling, int parallelSchedulingThreads) {

    public SchedulerOptions {
        if (workers < 1) {
            throw new AstraException.BadInput("--workers must be at least 1, got " + workers);
        }
        if (parallelSchedulingThreads < 1) {
            throw new AstraException.BadConfig(
                    "[core] parallel_scheduling_threads must be at least 1, got " + parallelSchedulingThreads);
        }
    }

    /** From {@code [core]} in the config; {@code workers} from the command line wins when given. */
    public static SchedulerOptions from(Config config, Integer workers) {
        int w = workers != null ? workers : config.getInt("core", "workers", 1);
        return new SchedulerOptions(w,
                config.getBoolean("core", "parallel_scheduling", false),
                config.getInt("core", "parallel_scheduling_threads", Runtime.getRuntime().availableProcessors()));
    }
}
