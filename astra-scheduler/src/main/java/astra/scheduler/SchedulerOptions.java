package astra.scheduler;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a run is scheduled: whether tasks' own {@code complete()} methods run on a thread pool,
 * whether the run goes on after a task failed, and the capacities of shared resources.
 *
 * @param keepGoing false to start no new task once one failed for good ({@code [core] keep_going})
 * @param resources capacity of each shared resource ({@code [resources]}), written to the
 *     database when the run starts, for every run on it
 * @param lease how long a claim may go without a heartbeat before it is ended, its worker (or
 *     host) taken for gone ({@code [scheduler] lease}); at least three heartbeats
 */
public record SchedulerOptions(
        boolean parallelScheduling, int parallelSchedulingThreads, boolean keepGoing, Map<String, Integer> resources,
        Duration lease) {

    /** The shortest lease: three of a worker's heartbeats. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(15);

    /** Serial checks: what a worker process uses to plan requirements found at run time. */
    public static final SchedulerOptions SERIAL = new SchedulerOptions(false, 1);

    public SchedulerOptions {
        if (parallelSchedulingThreads < 1) {
            throw new AstraException.BadConfig(
                    "[core] parallel_scheduling_threads must be at least 1, got " + parallelSchedulingThreads);
        }
        resources = Map.copyOf(resources);
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new AstraException.BadConfig("[scheduler] lease must be at least " + MIN_LEASE.toSeconds()
                    + "s (three heartbeats of a worker), got " + lease.toString().substring(2).toLowerCase());
        }
    }

    /** With the default lease. */
    public SchedulerOptions(boolean parallelScheduling, int parallelSchedulingThreads, boolean keepGoing,
            Map<String, Integer> resources) {
        this(parallelScheduling, parallelSchedulingThreads, keepGoing, resources, ReleaseAbandonedRuns.LEASE);
    }

    /** Keeps going after failures, with no resources configured. */
    public SchedulerOptions(boolean parallelScheduling, int parallelSchedulingThreads) {
        this(parallelScheduling, parallelSchedulingThreads, true, Map.of());
    }

    /** Threads checking tasks' own {@code complete()}: 1 unless {@code [core] parallel_scheduling}. */
    public int checkThreads() {
        return parallelScheduling ? parallelSchedulingThreads : 1;
    }

    public SchedulerOptions withKeepGoing(boolean keep) {
        return new SchedulerOptions(parallelScheduling, parallelSchedulingThreads, keep, resources, lease);
    }

    public SchedulerOptions withResources(Map<String, Integer> capacities) {
        return new SchedulerOptions(parallelScheduling, parallelSchedulingThreads, keepGoing, capacities, lease);
    }

    /** From {@code [core]}, {@code [scheduler] lease} and {@code [resources]} in the config. */
    public static SchedulerOptions from(Config config) {
        Map<String, Integer> resources = new TreeMap<>();
        for (String name : config.section("resources").keySet()) {
            int capacity = config.getInt("resources", name, 1);
            if (capacity < 0) {
                throw new AstraException.BadConfig("[resources] " + name + " must be 0 or more, got " + capacity);
            }
            resources.put(name, capacity);
        }
        return new SchedulerOptions(config.getBoolean(ConfigKeys.PARALLEL_SCHEDULING),
                config.getInt("core", "parallel_scheduling_threads", Runtime.getRuntime().availableProcessors()),
                config.getBoolean(ConfigKeys.KEEP_GOING), resources,
                config.getDuration(ConfigKeys.LEASE));
    }
}
