package astra.scheduler;

import astra.core.db.RunRecord;
import astra.core.db.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a run plans, hands back the tasks of runs on this host whose process is gone (killed,
 * crashed, power cut) without recording an end: their claims would otherwise block those tasks
 * forever. A claim on any host whose worker has not sent a heartbeat for a {@link #LEASE} is
 * ended too (retried or failed): its host vanished, or its worker hangs.
 */
final class ReleaseAbandonedRuns {

    private static final Logger log = LoggerFactory.getLogger(ReleaseAbandonedRuns.class);

    /** Clocks of the process table and the database may differ a little. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    /** Twelve missed heartbeats: long enough not to take a busy worker's task away. */
    static final Duration LEASE = Duration.ofSeconds(60);

    private ReleaseAbandonedRuns() {}

    static void on(TaskStore store, String host) {
        List<String> stale = store.endStaleClaims(LEASE, "its worker sent no heartbeat for " + LEASE.toSeconds() + " s");
        if (!stale.isEmpty()) {
            log.warn("{} task(s) whose worker went silent for {} s were ended: {}", stale.size(), LEASE.toSeconds(),
                    String.join(", ", stale));
        }
        for (RunRecord run : store.unfinishedRuns()) {
            if (host.equals(run.host()) && !isAlive(run.pid(), run.startedAt())) {
                int released = store.abandonRun(run.runId(),
                        "run " + run.runId() + " (pid " + run.pid() + ") ended without finishing");
                log.warn("run {} (pid {}) ended without finishing; {} task(s) it left running will run again",
                        run.runId(), run.pid(), released);
            }
        }
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
