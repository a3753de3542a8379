package astra.worker;

/**
 * Runs the ready tasks of a run until none is ready or running. The in-process
 * {@link ThreadWorkerPool} is the first implementation; a pool of child processes slots in
 * behind the same interface.
 */
public interface WorkerPool {

    /**
     * Blocks until the run has no task left to claim and none running, or until {@link #stop}.
     *
     * @throws astra.core.AstraException.DatabaseUnavailable if the database was gone for too long
     */
    void runUntilIdle(long runId) throws InterruptedException;

    /** Stops claiming new tasks; running ones finish and are recorded. Safe from any thread. */
    void stop();
}
