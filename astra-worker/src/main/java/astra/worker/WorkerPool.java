package astra.worker;

import astra.core.AstraException;
import java.time.Duration;

/**
 * Runs the ready tasks of a run until none is ready or running: on threads of this process
 * ({@link ThreadWorkerPool}), on child processes of this host ({@code astra.worker.local}), or in
 * Slurm jobs ({@code astra.worker.slurm}), all claiming from the same database.
 */
public interface WorkerPool {

    /** How often a worker says it is alive; a claim is stale after several missed beats. */
    Duration HEARTBEAT = Duration.ofSeconds(5);

    /**
     * Blocks until the run has no task left to claim and none running, or until {@link #stop}.
     *
     * @throws AstraException.DatabaseUnavailable if the database was gone for too long
     */
    void runUntilIdle(long runId) throws InterruptedException;

    /** Stops claiming new tasks; running ones finish and are recorded. Safe from any thread. */
    void stop();
}
