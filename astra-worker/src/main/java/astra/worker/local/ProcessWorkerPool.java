package astra.worker.local;

import astra.core.AstraException;
import astra.core.db.Database;
import astra.core.internal.LocalProcess;
import astra.core.internal.StateFiles;
import astra.core.store.ClaimScope;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPool;
import astra.worker.WorkerPoolFactory;
import astra.worker.WorkerProcesses;
import java.io.PrintStream;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a run's tasks on child JVMs, each claiming from the database itself: {@code workers}
 * slots spread over {@code [worker] processes} children, each slot a thread of its child with its
 * own loop and worker id. The parent only watches: a child that dies has its slots' claims ended
 * (retried or failed) and is replaced by one with as many slots while work is left; a child whose
 * initializer fails stops the run; {@link #stop} asks every child to give back its tasks and exit.
 */
public final class ProcessWorkerPool implements WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(ProcessWorkerPool.class);


    /** How long children get to give back their tasks and exit after a stop. */
    private static final long STOP_GRACE_MILLIS = 10_000;

    private final WorkerOptions options;
    private final TaskStore store;
    private final String idPrefix;
    private final PrintStream childErrors;
    private final ClaimScope scope;
    private final List<ChildProcess> children = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final WorkerLaunch launch;
    private final String host;
    private final Optional<ClassDataSharing> sharing;
    /** The slots of each child, largest first. */
    private final int[] shares;
    /** The child writing the class-data archive, if one is. */
    private volatile ChildProcess archiving;
    private volatile boolean stopped;
    /** When the children must be done by; null: no deadline. */
    private final Instant endBy;
    /** A child stopped because what is left would not finish by {@link #endBy}. */
    private volatile boolean outOfTime;
    private long stopDeadline;

    /**
     * What {@code astra run} uses: child JVMs that each connect once and run their initializers
     * once; each plans the requirements its tasks find at run time itself.
     */
    public static WorkerPoolFactory factory(WorkerOptions options) {
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, String workerIdPrefix) {
                return new ProcessWorkerPool(options, ClaimScope.ALL, database, workerIdPrefix, System.err);
            }

            @Override
            public int connections() {
                return options.connections();
            }

            @Override
            public int workers() {
                return options.workers();
            }

            @Override
            public RetryPolicy retry() {
                return options.retry();
            }
        };
    }

    /** A pool whose children claim only tasks of the scope's families, and end when the scope has no work left. */
    public ProcessWorkerPool(WorkerOptions options, ClaimScope scope, Database database, String idPrefix,
            PrintStream childErrors) {
        this(options, scope, database, idPrefix, LocalProcess.host(), childErrors);
    }

    /**
     * @param host the host the children record (a Slurm job's node name, say, where that differs
     *     from this machine's)
     */
    public ProcessWorkerPool(WorkerOptions options, ClaimScope scope, Database database, String idPrefix, String host,
            PrintStream childErrors) {
        this(options, scope, database, idPrefix, host, null, childErrors);
    }

    /**
     * @param endBy when the children must be done by (a Slurm job's time limit): they claim only
     *     what they expect to finish before it, and a child that stops for it is not replaced; null: none
     */
    public ProcessWorkerPool(WorkerOptions options, ClaimScope scope, Database database, String idPrefix, String host,
            Instant endBy, PrintStream childErrors) {
        this.endBy = endBy;
        this.host = host;
        this.options = options;
        this.scope = scope;
        this.store = database.store();
        this.idPrefix = idPrefix;
        this.childErrors = childErrors;
        this.launch = WorkerLaunch.of(options);
        this.sharing = ClassDataSharing.of(options.jvm().options(), launch.classpath(), ClassDataSharing.defaultCacheDir());
        this.shares = WorkerProcesses.spread(options.workers(), options.processCount());
    }

    @Override
    public void runUntilIdle(long runId) throws InterruptedException {
        for (int slots : shares) {
            if (stopped) {
                break;
            }
            startChild(runId, slots);
        }
        while (true) {
            for (ChildProcess child : snapshot()) {
                if (!child.isAlive()) {
                    ended(child, runId);
                }
            }
            synchronized (children) {
                if (children.isEmpty()) {
                    if (stopped || outOfTime || !store.hasWorkLeft(runId, scope)) {
                        return;
                    }
                    startChild(runId, shares[0]);
                }
            }
            if (stopped && System.currentTimeMillis() > stopDeadline) {
                killStragglers();
            }
            Thread.sleep(50);
        }
    }

    /** Whether a child stopped because what is left would not finish before the pool's deadline. */
    public boolean outOfTime() {
        return outOfTime;
    }

    @Override
    public void stop() {
        stopped = true;
        stopDeadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
        snapshot().forEach(ChildProcess::stop);
    }

    private void ended(ChildProcess child, long runId) throws InterruptedException {
        child.drain();
        synchronized (children) {
            children.remove(child);
        }
        int code = child.exitCode().orElseThrow();
        if (code == ExitStatus.OUT_OF_TIME.code) {
            // What is left would not finish before the deadline: another child would stop at once too.
            outOfTime = true;
        }
        if (child == archiving) {
            archiving = null;
            sharing.orElseThrow().archiveWritten(code == ExitStatus.FINISHED.code);
        }
        Optional<String> initializerFailure = child.initializerFailure();
        if (code == ExitStatus.INIT_FAILED.code && initializerFailure.isPresent()) {
            stopAndWait();
            throw new AstraException.WorkerStartFailed("worker " + child.workerId() + " could not start: initializer "
                    + initializerFailure.get());
        }
        boolean clean = code == ExitStatus.FINISHED.code || code == ExitStatus.OUT_OF_TIME.code;
        if (!stopped && !clean && neverRegistered(child, runId)) {
            // Died before it was ready (its JVM refused an option, say): another would do the same.
            stopAndWait();
            List<String> all = child.lastLines();
            List<String> said = all.subList(Math.max(0, all.size() - 3), all.size());
            throw new AstraException.WorkerStartFailed("worker " + child.workerId() + " could not start ("
                    + ExitStatus.describe(code) + ")" + (said.isEmpty() ? "" : ": " + String.join(" ", said).strip())
                    + (options.jvm().options().isEmpty() ? "" : "; [worker] jvm_options = "
                            + String.join(" ", options.jvm().options())));
        }
        // Even a child that exited normally may leave a claim (its last record failed): end it,
        // or the run would wait for it forever.
        String reason = "its worker " + child.workerId() + " (pid " + child.pid() + ") " + ExitStatus.describe(code);
        boolean anyEnded = false;
        for (String slotId : child.slotIds()) {
            List<String> ended = stopped ? store.releaseClaimsOf(slotId, reason) : store.endClaimsOf(slotId, reason);
            anyEnded |= !ended.isEmpty();
            if (!clean || !ended.isEmpty()) {
                store.workerStopped(slotId, ExitStatus.describe(code));
            }
            for (String taskId : ended) {
                boolean again = store.task(taskId).map(t -> t.state() == TaskState.PENDING).orElse(false);
                log.warn("worker {} (pid {}) {} while running {}: {}", slotId, child.pid(), ExitStatus.describe(code),
                        taskId, again ? "it will run again" : "it failed (no retries left)");
            }
        }
        if (!anyEnded && !clean && code != ExitStatus.INTERRUPTED.code) {
            log.warn("worker {} (pid {}) {}", child.workerId(), child.pid(), ExitStatus.describe(code));
        }
        if (!stopped && !outOfTime && store.hasWorkLeft(runId, scope)) {
            startChild(runId, child.slots());
        }
    }

    private boolean neverRegistered(ChildProcess child, long runId) {
        List<String> ids = child.slotIds();
        return store.workers(runId).stream().noneMatch(w -> ids.contains(w.workerId()));
    }

    /** Starts a child running {@code slots} loops, its pool sized for them. */
    private void startChild(long runId, int slots) {
        String workerId = idPrefix + "-" + started.incrementAndGet();
        WorkerSpec spec = new WorkerSpec(runId, workerId, options.database().url(), options.database().user(),
                options.database().schema(), options.database().echo(), options.database().usePooling(), options.database().poolSize() * slots,
                options.database().connectTimeout().toMillis(), options.database().outageTimeout().toMillis(),
                options.initializers(), options.maxTasksPerChild(),
                options.retry(), options.timeouts().all().toMillis(), familyTimeouts(),
                options.logDir() == null ? null : options.logDir().toString(), scope, System.currentTimeMillis(), host,
                slots, StateFiles.sharedGroup().orElse(null), endBy == null ? 0 : endBy.toEpochMilli());
        Optional<ClassDataSharing.ChildOptions> shared = sharing.map(ClassDataSharing::nextChild);
        List<String> command = launch.child(shared.map(ClassDataSharing.ChildOptions::options).orElse(List.of()));
        ChildProcess child = ChildProcess.start(command, options.jvm().environment(), spec, childErrors);
        if (shared.isPresent() && shared.get().writesArchive()) {
            archiving = child;
        }
        synchronized (children) {
            children.add(child);
        }
        log.debug("started worker {} (pid {}) with {} slot(s)", workerId, child.pid(), slots);
    }

    private Map<String, Long> familyTimeouts() {
        Map<String, Long> millis = new TreeMap<>();
        options.timeouts().byFamily().forEach((family, timeout) -> millis.put(family, timeout.toMillis()));
        return millis;
    }

    /**
     * Stops every child and waits for them to exit, killing those still there after the grace:
     * when the pool gives up, no child outlives it (nor keeps writing to the database).
     */
    private void stopAndWait() throws InterruptedException {
        stop();
        for (ChildProcess child : snapshot()) {
            child.waitFor(Math.max(0, stopDeadline - System.currentTimeMillis()));
        }
        killStragglers();
    }

    private void killStragglers() {
        for (ChildProcess child : snapshot()) {
            if (!child.isAlive()) {
                continue;
            }
            log.warn("worker {} (pid {}) did not stop in time: killing it", child.workerId(), child.pid());
            child.kill();
        }
    }

    private List<ChildProcess> snapshot() {
        synchronized (children) {
            return new ArrayList<>(children);
        }
    }
}
