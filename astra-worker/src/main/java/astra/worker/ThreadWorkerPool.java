package astra.worker;

import astra.core.db.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a run's tasks on N threads of this process, each with its own claim-run-record loop
 * against the shared database. The loops are the same that child processes run, so a task
 * behaves the same whichever pool runs it.
 */
public final class ThreadWorkerPool implements WorkerPool {

    private final Database database;
    private final int workers;
    private final TaskLoader loader;
    private final RequirementPlanner planner;
    private final String workerPrefix;
    private final List<ClaimRunRecord> loops = new ArrayList<>();
    private volatile boolean stopped;

    public ThreadWorkerPool(Database database, int workers, TaskLoader loader, RequirementPlanner planner, String workerPrefix) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.database = database;
        this.workers = workers;
        this.loader = loader;
        this.planner = planner;
        this.workerPrefix = workerPrefix;
    }

    @Override
    public void runUntilIdle(long runId) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        synchronized (loops) {
            for (int i = 1; i <= workers && !stopped; i++) {
                ProcessResources resources = new ProcessResources(workerPrefix + "-" + i);
                resources.database(database);
                ClaimRunRecord loop = new ClaimRunRecord(resources, runId, loader, planner, LoopOptions.DEFAULTS,
                        AttemptObserver.NONE);
                loops.add(loop);
                Thread thread = new Thread(loop, "astra-worker-" + i);
                thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
                threads.add(thread);
                thread.start();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        synchronized (loops) {
            for (ClaimRunRecord loop : loops) {
                if (loop.failure().isPresent()) {
                    throw loop.failure().get();
                }
            }
        }
    }

    @Override
    public void stop() {
        synchronized (loops) {
            stopped = true;
            loops.forEach(ClaimRunRecord::stop);
        }
    }
}
