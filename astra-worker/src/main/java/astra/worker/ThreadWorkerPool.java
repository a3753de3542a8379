package astra.worker;

import astra.core.ProcessResources;
import astra.core.db.Database;
import astra.core.internal.DaemonThreads;
import astra.core.internal.LocalProcess;
import astra.core.store.WorkerRecord;
import astra.plan.RequirementPlanner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private Path logDir;

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

    /**
     * Writes each attempt's output to its own file under {@code dir}, as worker processes do
     * ({@link AttemptLogs}): while the pool runs, this process's {@code System.out} and
     * {@code System.err} also write to the file of the attempt whose thread writes, and are put
     * back afterwards. For one pool at a time in a process (a test's run); set before it runs.
     */
    public ThreadWorkerPool capturingLogs(Path dir) {
        this.logDir = dir == null ? null : dir.toAbsolutePath();
        return this;
    }

    @Override
    public void runUntilIdle(long runId) throws InterruptedException {
        if (logDir == null) {
            runLoops(runId, null);
            return;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            runLoops(runId, AttemptLogs.capture(logDir, workers));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private void runLoops(long runId, List<AttemptLogs> attemptLogs) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        synchronized (loops) {
            for (int i = 1; i <= workers && !stopped; i++) {
                String workerId = workerPrefix + "-" + i;
                ids.add(workerId);
                database.store().registerWorker(new WorkerRecord(workerId, runId, LocalProcess.host(),
                        LocalProcess.pid(), Instant.now(), 0, database.connectCount(), Instant.now(), 0, null,
                        null));
                ProcessResources resources = new ProcessResources(workerId, database);
                ClaimRunRecord loop = new ClaimRunRecord(resources, runId, loader, planner, LoopOptions.DEFAULTS,
                        AttemptObserver.NONE);
                if (attemptLogs != null) {
                    loop.capturing(attemptLogs.get(i - 1));
                }
                loops.add(loop);
                Thread thread = new Thread(loop, "astra-worker-" + i);
                thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
                threads.add(thread);
                thread.start();
            }
        }
        // Heartbeats, as worker processes send them, so that no other run takes these tasks for lost.
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("astra-worker-heartbeat"));
        long every = WorkerPool.HEARTBEAT.toMillis();
        beats.scheduleWithFixedDelay(() -> beat(ids), every, every, TimeUnit.MILLISECONDS);
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            beats.shutdownNow();
        }
        synchronized (loops) {
            for (int i = 0; i < loops.size(); i++) {
                database.store().heartbeat(ids.get(i), loops.get(i).tasksRun());
                database.store().workerStopped(ids.get(i), stopped ? "stopped" : "no work left");
            }
            for (ClaimRunRecord loop : loops) {
                if (loop.failure().isPresent()) {
                    throw loop.failure().get();
                }
            }
        }
    }

    private void beat(List<String> ids) {
        try {
            synchronized (loops) {
                for (int i = 0; i < loops.size(); i++) {
                    database.store().heartbeat(ids.get(i), loops.get(i).tasksRun());
                }
            }
        } catch (RuntimeException e) {
            // The next beat tries again; the loops report a database that stays away.
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
