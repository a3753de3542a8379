package astra.worker.local;

import astra.core.db.DatabaseSettings;
import astra.core.store.ClaimScope;
import astra.plan.RetryPolicy;
import astra.worker.LoopOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Everything a child worker process needs, sent by the parent as one JSON line on the child's
 * standard input: never on its command line or in its environment, where a password in the
 * database URL could be read by others ({@code ps}).
 *
 * @param dbSchema the schema of Astra's tables ({@code [database] schema})
 * @param dbEcho whether to log every SQL statement ({@code [database] echo})
 * @param timeoutMillis how long one task may run before its process is killed (0: no limit)
 * @param familyTimeoutMillis the same for the families that have their own
 * @param logDir the absolute directory of attempt logs; null to write none
 * @param scope the families the worker claims
 * @param spawnedAtMillis when the parent started the process (epoch milliseconds), from which the
 *     child counts its ready time; 0 for a worker nobody spawned, which counts from its JVM's start
 * @param poolSize the connections of the process's pool, for all its slots
 * @param maxTasks the tasks each slot runs before it ends (0: no limit)
 * @param slots how many loops the process runs at once, each on a thread with a worker id of its own
 * @param sharedGroup the group the state files it creates (attempt logs) are shared with; null: private
 * @param endByEpochMillis when it must be done by (a Slurm job's time limit), epoch milliseconds; 0: no deadline
 */
record WorkerSpec(
        long runId, String workerId, String dbUrl, String dbUser, String dbSchema, boolean dbEcho, boolean usePooling, int poolSize,
        long connectTimeoutMillis, long outageTimeoutMillis, List<String> initializers, int maxTasks, RetryPolicy retry, long timeoutMillis,
        Map<String, Long> familyTimeoutMillis, String logDir, ClaimScope scope, long spawnedAtMillis, String host,
        int slots, String sharedGroup, long endByEpochMillis) {

    WorkerSpec {
        scope = scope == null ? ClaimScope.ALL : scope;
        Objects.requireNonNull(host, "host");
        slots = Math.max(1, slots);
    }

    /**
     * The worker ids the slots claim and register under: the process's own id for a single
     * slot (as when each process ran one loop), else {@code <id>.1}, {@code <id>.2}, ...
     */
    List<String> slotIds() {
        if (slots == 1) {
            return List.of(workerId);
        }
        return IntStream.rangeClosed(1, slots).mapToObj(i -> workerId + "." + i).toList();
    }

    /** How long a task of this family may run; 0 for no limit. */
    long timeoutMillis(String family) {
        return familyTimeoutMillis.getOrDefault(family, timeoutMillis);
    }

    DatabaseSettings databaseSettings() {
        return new DatabaseSettings(dbUrl, dbUser, usePooling, poolSize, Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(outageTimeoutMillis), dbSchema, dbEcho);
    }

    LoopOptions loopOptions() {
        return new LoopOptions(maxTasks, endByEpochMillis > 0 ? java.time.Instant.ofEpochMilli(endByEpochMillis) : null);
    }
}
