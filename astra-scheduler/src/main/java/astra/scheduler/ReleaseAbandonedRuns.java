package astra.scheduler;

import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.db.DatabaseOutage;
import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import astra.core.store.RunRecord;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a run plans, hands back the tasks of runs on this host whose process is gone (killed,
 * crashed, power cut) without recording an end: their claims would otherwise block those tasks
 * forever. A claim on any host whose worker has not sent a heartbeat for a lease ({@link #LEASE} unless configured) is
 * given back too, uncounted: its host vanished, or its process froze. A run on another host is
 * taken for dead when it has workers and none has shown life (started, sent a heartbeat, or
 * stopped) for a lease: its process cannot be looked up from here. (A run on another host
 * that dies before its first worker registers stays live until an {@code astra run} on its own
 * host releases it.) Pending tasks of runs that ended and that a live run needs are handed over
 * to it.
 *
 * <p>While its workers run, a run does this again every {@link #PERIOD} ({@link #periodically}):
 * it may be waiting for tasks another run holds, and that run may be killed (even with
 * {@code kill -9}) or its claims may go stale; without this, the tasks would wait for the next
 * {@code astra run}. Each pass is a few small queries.
 */
final class ReleaseAbandonedRuns {

    private static final Logger log = LoggerFactory.getLogger(ReleaseAbandonedRuns.class);

    /** Clocks of the process table and the database may differ a little. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    /**
     * Twelve missed heartbeats: long enough not to take a busy worker's task away
     * ({@code [scheduler] lease}, {@link SchedulerOptions#lease()}).
     */
    static final Duration LEASE = Config.parseDuration(ConfigKeys.LEASE.defaultValue()).orElseThrow();

    /** How often a running run looks again. */
    static final Duration PERIOD = Duration.ofSeconds(5);

    private ReleaseAbandonedRuns() {}

    /**
     * One pass. Heartbeats are judged only once this process has reached the database for a whole
     * lease ({@link DatabaseOutage#steadyFor}): during an outage no worker could write one. (The
     * sweep of stale claims fails rather than wait out an outage that begins meanwhile.)
     */
    static void on(TaskStore store, DatabaseOutage outage, String host, Duration lease) {
        boolean judgeHeartbeats = outage.steadyFor(lease);
        if (judgeHeartbeats) {
            List<String> stale = store.releaseStaleClaims(lease, "its worker sent no heartbeat for " + lease.toSeconds() + " s");
            if (!stale.isEmpty()) {
                log.warn("{} task(s) whose worker went silent for {} s were given back, to run again: {}", stale.size(),
                        lease.toSeconds(), String.join(", ", stale));
            }
        }
        Instant now = Instant.now();
        for (RunRecord run : store.unfinishedRuns()) {
            if (host.equals(run.host()) && !isAlive(run.pid(), run.startedAt())) {
                int released = store.abandonRun(run.runId(),
                        "run " + run.runId() + " (pid " + run.pid() + ") ended without finishing");
                log.warn("run {} (pid {}) ended without finishing; {} task(s) it left running will run again",
                        run.runId(), run.pid(), released);
            } else if (judgeHeartbeats && !host.equals(run.host()) && isSilent(store, run, now, lease)) {
                int released = store.abandonRun(run.runId(), "run " + run.runId() + " on " + run.host() + " (pid "
                        + run.pid() + ") has had no live worker for " + lease.toSeconds() + " s");
                log.warn("run {} on {} (pid {}) has had no live worker for {} s: taken for dead; {} task(s) it left"
                        + " running will run again", run.runId(), run.host(), run.pid(), lease.toSeconds(), released);
            }
        }
        int handedOver = store.handOverOrphans();
        if (handedOver > 0) {
            log.info("{} task(s) left pending by runs that ended were handed over to the live runs that need them",
                    handedOver);
        }
    }

    /** Runs {@link #on} every {@link #PERIOD} on a daemon thread, until closed. */
    static Periodic periodically(TaskStore store, DatabaseOutage outage, String host, Duration lease) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("astra-release-abandoned"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                on(store, outage, host, lease);
            } catch (RuntimeException e) {
                // The database stayed away longer than its outage timeout: the next pass tries again.
                log.debug("looking for abandoned runs failed: {}", Exceptions.oneLine(e));
            }
        }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** Stops the periodic passes. */
    interface Periodic extends AutoCloseable {
        @Override
        void close();
    }

    /** The run started workers, and none has shown life for a lease. */
    static boolean isSilent(TaskStore store, RunRecord run, Instant now, Duration lease) {
        Instant cutoff = now.minus(lease);
        if (run.startedAt() == null || !run.startedAt().isBefore(cutoff)) {
            return false;
        }
        List<WorkerRecord> workers = store.workers(run.runId());
        return !workers.isEmpty() && workers.stream()
                .flatMap(w -> Stream.of(w.startedAt(), w.lastHeartbeat(), w.stoppedAt()))
                .filter(Objects::nonNull)
                .allMatch(at -> at.isBefore(cutoff));
    }

    /** The process is alive and is the one that started the run, not a later one with its pid. */
    static boolean isAlive(long pid, Instant runStarted) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Instant> processStarted = process.get().info().startInstant();
        return processStarted.isEmpty() || runStarted == null
                || !processStarted.get().isAfter(runStarted.plus(CLOCK_SLACK));
    }
}
