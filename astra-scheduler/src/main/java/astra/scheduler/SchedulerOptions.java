package astra.scheduler;

import astra.core.AstraException;
import astra.core.config.Config;

/** How the graph is checked: whether tasks' own {@code complete()} methods run on a thread pool. */
public record SchedulerOptions(boolean parallelScheduling, int parallelSchedulingThreads) {

    /** Serial checks: what a worker process uses to plan requirements found at run time. */
    public static final SchedulerOptions SERIAL = new SchedulerOptions(false, 1);

    public SchedulerOptions {
        if (parallelSchedulingThreads < 1) {
            throw new AstraException.BadConfig(
                    "[core] parallel_scheduling_threads must be at least 1, got " + parallelSchedulingThreads);
        }
    }

    /** From {@code [core]} in the config. */
    public static SchedulerOptions from(Config config) {
        return new SchedulerOptions(config.getBoolean("core", "parallel_scheduling", false),
                config.getInt("core", "parallel_scheduling_threads", Runtime.getRuntime().availableProcessors()));
    }
}
