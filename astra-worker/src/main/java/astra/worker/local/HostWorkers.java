package astra.worker.local;

import astra.core.AstraException;
import astra.core.db.Database;
import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import astra.core.store.ClaimScope;
import astra.core.store.RunRecord;
import astra.core.store.TaskStore;
import astra.worker.WorkerOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers {@code astra worker} starts on one host: a pool of child processes, the same as
 * {@code astra run}'s, claiming from the shared database. They serve one run ({@code --run}) until
 * it has no work left for them or ends, or each live run with work in turn, oldest first
 * ({@code --any}), until none has had work for {@code exitWhenIdle} (or forever). A run that ends
 * meanwhile (its scheduler finished or was stopped) has its tasks given back at once.
 */
public final class HostWorkers {

    private static final Logger log = LoggerFactory.getLogger(HostWorkers.class);

    /**
     * Connections the {@code astra worker} process itself keeps (its children have their own): it
     * looks at the queue and cleans up after children that die.
     */
    public static final int PARENT_POOL_SIZE = 2;

    /** Why a worker stopped (its record's reason) when what was left would not finish before its deadline. */
    public static final String OUT_OF_TIME_REASON = "out of time: its job's time limit is near";

    /** How often the queue is looked at while idle, and a served run checked for its end. */
    static final Duration POLL = Duration.ofSeconds(2);

    private final WorkerOptions options;
    private final ClaimScope scope;
    private final Database database;
    private final String idPrefix;
    private final PrintStream err;
    private final String host;
    private volatile ProcessWorkerPool pool;
    private volatile boolean stopped;
    private final Instant endBy;
    /** Stopped serving: what is left would not finish before {@link #endBy}. */
    private volatile boolean outOfTime;
    private int runsServed;

    /**
     * @param idPrefix workers are named {@code <prefix>:<run>-1}, ...: unique to this process
     */
    /**
     * @param host the host the workers record: a Slurm job's node name inside a job
     */
    public HostWorkers(WorkerOptions options, ClaimScope scope, Database database, String idPrefix, String host,
            PrintStream err) {
        this(options, scope, database, idPrefix, host, null, err);
    }

    /**
     * @param endBy when this process must be done by (its Slurm job's time limit): its workers
     *     claim only what they expect to finish before it, and it stops serving when nothing left
     *     fits; null: no deadline
     */
    public HostWorkers(WorkerOptions options, ClaimScope scope, Database database, String idPrefix, String host,
            Instant endBy, PrintStream err) {
        this.endBy = endBy;
        this.host = host;
        this.options = options;
        this.scope = scope;
        this.database = database;
        this.idPrefix = idPrefix;
        this.err = err;
    }

    /**
     * Serves {@code run}, or any live run when empty, until there is nothing left to do (see the
     * class comment) or {@link #stop}. Returns how many runs it served.
     *
     * @throws AstraException.BadInput if {@code run} names no run
     */
    public int serve(OptionalLong run, Optional<Duration> exitWhenIdle) throws InterruptedException {
        TaskStore store = database.store();
        if (run.isPresent()) {
            RunRecord record = store.run(run.getAsLong()).orElseThrow(() -> new AstraException.BadInput(
                    "there is no run " + run.getAsLong() + " in this database (astra status lists the latest)"));
            if (record.finishedAt() != null) {
                log.info("run {} has ended ({}): nothing to do", record.runId(), record.outcome());
            } else if (!store.hasWorkLeft(record.runId(), scope)) {
                log.info("run {} has no work left for {}", record.runId(), scope.describe());
            } else {
                serveRun(record.runId());
            }
            return runsServed;
        }
        long idleSince = System.nanoTime();
        while (!stopped && !outOfTime) {
            OptionalLong next = nextRunWithWork(store);
            if (next.isPresent()) {
                serveRun(next.getAsLong());
                idleSince = System.nanoTime();
                continue;
            }
            if (exitWhenIdle.isPresent() && System.nanoTime() - idleSince >= exitWhenIdle.get().toNanos()) {
                log.info("no run had work for {}: exiting", exitWhenIdle.get().toString().substring(2).toLowerCase());
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        return runsServed;
    }

    /** Whether it stopped serving because what was left would not finish before its deadline. */
    public boolean outOfTime() {
        return outOfTime;
    }

    /** Gives back the tasks held and stops; safe from any thread (a shutdown hook). */
    public void stop() {
        stopped = true;
        ProcessWorkerPool p = pool;
        if (p != null) {
            p.stop();
        }
    }

    private OptionalLong nextRunWithWork(TaskStore store) {
        for (RunRecord live : store.unfinishedRuns()) {
            if (store.hasWorkLeft(live.runId(), scope)) {
                return OptionalLong.of(live.runId());
            }
        }
        return OptionalLong.empty();
    }

    private void serveRun(long runId) throws InterruptedException {
        if (stopped) {
            return;
        }
        runsServed++;
        err.println("astra: " + options.workers() + " worker(s) in " + options.processCount() + " process(es) on " + host
                + " serving run " + runId + (scope.claimsEveryFamily() ? "" : " (" + scope.describe() + ")"));
        err.flush();
        ProcessWorkerPool p = new ProcessWorkerPool(options, scope, database, idPrefix + ":" + runId, host, endBy, err);
        pool = p;
        if (stopped) {
            p.stop();
        }
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("astra-worker-run-watch"));
        watch.scheduleWithFixedDelay(() -> {
            try {
                database.store().run(runId).filter(r -> r.finishedAt() != null).ifPresent(r -> {
                    err.println("astra: run " + runId + " ended (" + r.outcome() + "): giving back its tasks");
                    err.flush();
                    p.stop();
                });
            } catch (RuntimeException e) {
                log.debug("looking at run {} failed: {}", runId, Exceptions.oneLine(e));
            }
        }, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            p.runUntilIdle(runId);
        } finally {
            watch.shutdownNow();
            pool = null;
        }
        if (p.outOfTime()) {
            outOfTime = true;
            err.println("astra: stopping before this job's time limit (" + endBy + "): what is left of run " + runId
                    + " would not finish in time; its tasks are left to other workers");
            err.flush();
        }
    }
}
