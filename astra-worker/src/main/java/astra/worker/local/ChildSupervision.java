package astra.worker.local;

import astra.core.db.Database;
import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import astra.core.store.ClaimedTask;
import astra.core.store.TaskStore;
import astra.worker.AttemptLogs;
import astra.worker.AttemptObserver;
import astra.worker.ClaimRunRecord;
import astra.worker.WorkerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Everything that can end a child worker other than running out of work, and what each leaves
 * in the database: a stop from the parent, the parent's death, Ctrl-C or SIGTERM (the tasks held
 * go back to pending, their attempt not counted); a task past its timeout (the tasks held fail
 * with "timed out after ..."); a task that ends the JVM itself (the tasks held fail). The tasks
 * held are one task, or every member of a batch. Also keeps the
 * worker's heartbeat, so that a later run can tell a live claim from one left by a lost host.
 */
public final class ChildSupervision implements AttemptObserver {

    private static final Logger log = LoggerFactory.getLogger(ChildSupervision.class);

    private final WorkerSpec spec;
    private final TaskStore store;
    private final AttemptLogs logs;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, DaemonThreads.named("astra-worker-timers"));
    /** The tasks of the attempt running: one, or a batch's members. */
    private List<ClaimedTask> current;
    private ScheduledFuture<?> timeout;
    private boolean ending;
    private volatile ClaimRunRecord loop;

    ChildSupervision(WorkerSpec spec, Database database, AttemptLogs logs) {
        this.spec = spec;
        this.store = database.store();
        this.logs = logs;
    }

    /** Starts listening to the parent and to signals, and the heartbeat. */
    void watch(ClaimRunRecord loop, BufferedReader parent) {
        this.loop = loop;
        Thread listener = new Thread(() -> listen(parent), "astra-worker-parent");
        listener.setDaemon(true);
        listener.start();
        for (String signal : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(signal), s -> interrupt("SIG" + signal));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::jvmExiting, "astra-worker-exit"));
        timers.scheduleWithFixedDelay(this::beat, WorkerPool.HEARTBEAT.toMillis(), WorkerPool.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void started(List<ClaimedTask> tasks) {
        current = tasks;
        // A batch runs as one call: the family's timeout is for the call.
        long millis = spec.timeoutMillis(tasks.get(0).family());
        if (millis > 0) {
            timeout = timers.schedule(() -> timedOut(tasks, millis), millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void finished(List<ClaimedTask> tasks) {
        current = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /**
     * The loop ended: out of work or at its maximum (a normal end), or because the database was
     * gone for too long (the claim it could not record stays for the parent to end).
     */
    void ended(ClaimRunRecord finishedLoop) {
        synchronized (this) {
            ending = true;
        }
        if (finishedLoop.failure().isPresent()) {
            System.err.println("astra-worker: " + spec.workerId() + ": " + Exceptions.oneLine(finishedLoop.failure().get()));
            System.exit(ExitStatus.LOST_DATABASE.code);
        }
        timers.shutdownNow();
        store.heartbeat(spec.workerId(), finishedLoop.tasksRun());
        store.workerStopped(spec.workerId(), finishedLoop.reachedMaxTasks() ? "max tasks per child" : "no work left");
        System.exit(ExitStatus.FINISHED.code);
    }

    private void listen(BufferedReader parent) {
        try {
            String line;
            while ((line = parent.readLine()) != null) {
                if (line.strip().equals("stop")) {
                    interrupt("stopped by astra run");
                    return;
                }
            }
        } catch (IOException e) {
            // The pipe broke: the parent is gone, as at end of input.
        }
        interrupt("astra run went away");
    }

    /** Gives back the task held, records why, and ends the process at once. */
    private void interrupt(String reason) {
        synchronized (this) {
            if (ending) {
                return;
            }
            ending = true;
            ClaimRunRecord l = loop;
            if (l != null) {
                l.stop();
            }
            List<ClaimedTask> held = current;
            recordQuietly("the interruption", () -> {
                if (held != null) {
                    noteLog(held, "interrupted (" + reason + ")");
                }
                // Also a task claimed with the last one's record and not started yet.
                store.releaseClaimsOf(spec.workerId(), "interrupted (" + reason + ")");
                store.workerStopped(spec.workerId(), "interrupted: " + reason);
            });
        }
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.INTERRUPTED.code);
    }

    private void timedOut(List<ClaimedTask> tasks, long millis) {
        String error = "timed out after " + Duration.ofMillis(millis).toString().substring(2).toLowerCase(Locale.ROOT);
        synchronized (this) {
            if (ending || current != tasks) {
                return;
            }
            ending = true;
            log.warn("{}: {} {}", spec.workerId(), describe(tasks), error);
            recordQuietly("the timeout", () -> {
                noteLog(tasks, error);
                endTasks(error, describe(tasks) + " " + error);
            });
        }
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.TIMED_OUT.code);
    }

    /** A shutdown nobody here asked for: the task called System.exit. */
    private synchronized void jvmExiting() {
        if (ending || current == null) {
            return;
        }
        ending = true;
        String error = "the task ended its worker process (System.exit?) while running";
        List<ClaimedTask> held = current;
        recordQuietly("the exit", () -> {
            noteLog(held, error);
            endTasks(error, describe(held) + ": " + error);
        });
        // The task's own exit code could mean anything to the parent (3 is "initializer failed").
        Runtime.getRuntime().halt(ExitStatus.TASK_EXITED.code);
    }

    /**
     * Fails every task held (or retries it, per its policy): one, or every member of a batch;
     * this process's worker holds nothing else. Records why this worker stops.
     */
    private void endTasks(String error, String stopReason) {
        store.endClaimsOf(spec.workerId(), error);
        store.workerStopped(spec.workerId(), stopReason);
    }

    /** The attempt ends here, not in the loop: its log says why, and its history where the log is. */
    private void noteLog(List<ClaimedTask> tasks, String why) {
        if (logs.written().isPresent()) {
            logs.write("astra-worker: " + why);
        }
        logs.end().ifPresent(file -> store.note(spec.runId(), tasks.stream().map(ClaimedTask::taskId).toList(),
                spec.workerId(), AttemptLogs.NOTE_PREFIX + file));
    }

    private static String describe(List<ClaimedTask> tasks) {
        return tasks.size() == 1 ? tasks.get(0).taskId()
                : "a batch of " + tasks.size() + " (" + tasks.get(0).taskId() + ", ...)";
    }

    /** Records on the way out; the process ends either way, so a failure is only logged. */
    private void recordQuietly(String what, Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            log.warn("{}: could not record {}: {}", spec.workerId(), what, Exceptions.oneLine(e));
        }
    }

    private void beat() {
        try {
            ClaimRunRecord l = loop;
            store.heartbeat(spec.workerId(), l == null ? 0 : l.tasksRun());
        } catch (RuntimeException e) {
            log.debug("{}: heartbeat failed: {}", spec.workerId(), Exceptions.oneLine(e));
        }
    }
}
