package astra.worker.local;

import astra.core.AstraException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Everything that can end a child worker other than running out of work, and what each leaves
 * in the database, for each of the child's slots (threads, each with its own loop and worker
 * id): a stop from the parent, the parent's death, Ctrl-C or SIGTERM (every slot's tasks go back
 * to pending, their attempt not counted); a task past its timeout (its tasks fail with "timed out
 * after ...", the other slots' go back uncounted); a task that ends the JVM itself (its tasks
 * fail, the other slots' go back; when the exit cannot be traced to one slot, every task held
 * fails). The tasks an attempt holds are one task, or every member of a batch. Also keeps every
 * slot's heartbeat, so that a later run can tell a live claim from one left by a lost host.
 */
public final class ChildSupervision {

    private static final Logger log = LoggerFactory.getLogger(ChildSupervision.class);

    /**
     * How long the other slots get to come to rest (their loop ended, or inside a task) before
     * their claims are given back: a loop stopped mid-claim may still take a task.
     */
    private static final long SETTLE_MILLIS = 2_000;

    private final WorkerSpec spec;
    private final TaskStore store;
    private final ScheduledThreadPoolExecutor timers =
            new ScheduledThreadPoolExecutor(1, DaemonThreads.named("astra-worker-timers"));
    private final List<Slot> slots = new ArrayList<>();
    private boolean ending;

    ChildSupervision(WorkerSpec spec, Database database) {
        this.spec = spec;
        this.store = database.store();
        // Started here, by a thread of no slot, so it writes to no slot's attempt log.
        timers.prestartAllCoreThreads();
    }

    /** One slot of the process: its worker id, its loop on a thread of its own, the attempt it runs. */
    final class Slot implements AttemptObserver {

        final String workerId;
        final AttemptLogs logs;
        /** The slot's thread and every thread its tasks start (unless they choose another group). */
        final ThreadGroup group;
        private ClaimRunRecord loop;
        private Thread thread;
        /** The tasks of the attempt running: one, or a batch's members; guarded by the supervision. */
        private List<ClaimedTask> current;
        private ScheduledFuture<?> timeout;

        private Slot(String workerId, AttemptLogs logs, int number) {
            this.workerId = workerId;
            this.logs = logs;
            this.group = new ThreadGroup("astra-slot-" + number);
        }

        /** Its loop, made with this slot as its observer; set before {@link #runSlots}. */
        void runs(ClaimRunRecord slotLoop) {
            this.loop = slotLoop;
        }

        @Override
        public void started(List<ClaimedTask> tasks) {
            synchronized (ChildSupervision.this) {
                current = tasks;
                // A batch runs as one call: the family's timeout is for the call.
                long millis = spec.timeoutMillis(tasks.get(0).family());
                if (millis > 0 && !ending) {
                    timeout = timers.schedule(() -> timedOut(this, tasks, millis), millis, TimeUnit.MILLISECONDS);
                }
            }
        }

        @Override
        public void finished(List<ClaimedTask> tasks) {
            synchronized (ChildSupervision.this) {
                current = null;
                if (timeout != null) {
                    timeout.cancel(false);
                    timeout = null;
                }
            }
        }

        private List<ClaimedTask> held() {
            synchronized (ChildSupervision.this) {
                return current;
            }
        }

        /** Its loop ended, or it is inside a task (and, stopped, will claim nothing more). */
        private boolean atRest() {
            return thread == null || !thread.isAlive() || held() != null;
        }
    }

    /** Adds the next slot, writing its attempts to {@code logs}. */
    Slot slot(String workerId, AttemptLogs logs) {
        Slot slot = new Slot(workerId, logs, slots.size() + 1);
        slots.add(slot);
        return slot;
    }

    /** Starts listening to the parent and to signals, and the heartbeat of every slot. */
    void watch(BufferedReader parent) {
        Thread listener = new Thread(() -> listen(parent), "astra-worker-parent");
        listener.setDaemon(true);
        listener.start();
        // HUP too: a terminal that closes hangs up its whole process group, this child with astra run.
        for (String signal : new String[] {"INT", "TERM", "HUP"}) {
            Signal.handle(new Signal(signal), s -> interrupt("SIG" + signal));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::jvmExiting, "astra-worker-exit"));
        timers.scheduleWithFixedDelay(this::beat, WorkerPool.HEARTBEAT.toMillis(), WorkerPool.HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Runs every slot's loop on its own thread until all have ended. */
    void runSlots() throws InterruptedException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Slot slot : slots) {
            Thread thread = new Thread(slot.group, slot.loop, slot.group.getName());
            thread.setContextClassLoader(loader);
            slot.thread = thread;
        }
        slots.forEach(s -> s.thread.start());
        for (Slot slot : slots) {
            slot.thread.join();
        }
    }

    /**
     * Every loop ended: out of work or at its maximum (a normal end), or because the database was
     * gone for too long (the claims they could not record stay for the parent to end).
     */
    void ended() throws InterruptedException {
        boolean stopping;
        synchronized (this) {
            stopping = ending;
            ending = true;
        }
        if (stopping) {
            // Stopped meanwhile: the thread that stops the process records why and halts it.
            Thread.sleep(Long.MAX_VALUE);
        }
        for (Slot slot : slots) {
            Optional<RuntimeException> failure = slot.loop.failure();
            if (failure.isPresent()) {
                // Said once for the process, whichever slot met it first.
                RuntimeException e = failure.get();
                System.err.println("astra-worker: " + spec.workerId() + ": "
                        + (e instanceof AstraException ? e.getMessage() : Exceptions.oneLine(e)));
                System.exit(ExitStatus.LOST_DATABASE.code);
            }
        }
        timers.shutdownNow();
        boolean outOfTime = false;
        for (Slot slot : slots) {
            store.heartbeat(slot.workerId, slot.loop.tasksRun());
            outOfTime |= slot.loop.outOfTime();
            store.workerStopped(slot.workerId, slot.loop.reachedMaxTasks() ? "max tasks per child"
                    : slot.loop.outOfTime() ? HostWorkers.OUT_OF_TIME_REASON : "no work left");
        }
        System.exit(outOfTime ? ExitStatus.OUT_OF_TIME.code : ExitStatus.FINISHED.code);
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

    /** Stops every loop; false if the process is ending already. */
    private synchronized boolean beginEnding() {
        if (ending) {
            return false;
        }
        ending = true;
        slots.forEach(s -> s.loop.stop());
        return true;
    }

    /** Gives back every slot's tasks, records why, and ends the process at once. */
    private void interrupt(String reason) {
        if (!beginEnding()) {
            return;
        }
        settle(slots);
        String why = "interrupted (" + reason + ")";
        for (Slot slot : slots) {
            recordQuietly(slot, "the interruption", () -> {
                giveBack(slot, why);
                store.workerStopped(slot.workerId, "interrupted: " + reason);
            });
        }
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.INTERRUPTED.code);
    }

    private void timedOut(Slot slot, List<ClaimedTask> tasks, long millis) {
        String error = "timed out after " + Duration.ofMillis(millis).toString().substring(2).toLowerCase(Locale.ROOT);
        synchronized (this) {
            if (ending || slot.current != tasks) {
                return;
            }
            beginEnding();
        }
        log.warn("{}: {} {}", slot.workerId, describe(tasks), error);
        List<Slot> others = others(List.of(slot));
        settle(others);
        recordQuietly(slot, "the timeout", () -> {
            noteLog(slot, tasks, error);
            endTasks(slot, error, describe(tasks) + " " + error);
        });
        String why = "its worker process stopped: " + describe(tasks) + " of another slot " + error;
        for (Slot other : others) {
            recordQuietly(other, "the timeout of another slot", () -> {
                giveBack(other, why);
                store.workerStopped(other.workerId, why);
            });
        }
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.TIMED_OUT.code);
    }

    /** A shutdown nobody here asked for: a task called System.exit. */
    private void jvmExiting() {
        synchronized (this) {
            if (ending || slots.stream().allMatch(s -> s.current == null)) {
                return;
            }
            beginEnding();
        }
        List<Slot> busy = slots.stream().filter(s -> s.held() != null).toList();
        Optional<Slot> exiting = exitingSlot();
        List<Slot> charged = exiting.filter(busy::contains).map(List::of).orElse(busy.size() == 1 ? busy : List.of());
        String error;
        if (charged.isEmpty()) {
            charged = busy;
            error = "a task ended its worker process (System.exit?) while this ran, and which one could not be told:"
                    + " every task running in the process was failed";
            log.warn("a task called System.exit and which of the {} running could not be told: failing them all",
                    busy.size());
        } else {
            error = "the task ended its worker process (System.exit?) while running";
        }
        List<Slot> others = others(charged);
        settle(others);
        for (Slot slot : charged) {
            List<ClaimedTask> held = slot.held();
            recordQuietly(slot, "the exit", () -> {
                noteLog(slot, held, error);
                endTasks(slot, error, describe(held) + ": " + error);
            });
        }
        String why = "its worker process stopped: another slot's task ended it (System.exit?)";
        for (Slot other : others) {
            recordQuietly(other, "the exit of another slot", () -> {
                giveBack(other, why);
                store.workerStopped(other.workerId, why);
            });
        }
        // The task's own exit code could mean anything to the parent (3 is "initializer failed").
        Runtime.getRuntime().halt(ExitStatus.TASK_EXITED.code);
    }

    /** The slot of the thread that called System.exit (blocked in it while the hooks run), if one of them did. */
    private Optional<Slot> exitingSlot() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            boolean exiting = false;
            for (StackTraceElement frame : e.getValue()) {
                if (frame.getMethodName().equals("exit") && (frame.getClassName().equals("java.lang.Shutdown")
                        || frame.getClassName().equals("java.lang.Runtime"))) {
                    exiting = true;
                    break;
                }
            }
            ThreadGroup group = exiting ? e.getKey().getThreadGroup() : null;
            for (; group != null; group = group.getParent()) {
                for (Slot slot : slots) {
                    if (slot.group == group) {
                        return Optional.of(slot);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private List<Slot> others(List<Slot> these) {
        return slots.stream().filter(s -> !these.contains(s)).toList();
    }

    /**
     * Waits, a short while at most, until each slot's loop has ended or is inside a task: the
     * loops are stopped, so a slot at rest claims nothing more, and what it holds is its task.
     */
    private void settle(List<Slot> these) {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        while (!these.stream().allMatch(Slot::atRest) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Records what the slot ran and had not recorded yet, and gives back whatever else it holds
     * (its attempt's tasks, those claimed ahead or with its last step), uncounted.
     */
    private void giveBack(Slot slot, String why) {
        slot.loop.handBack();
        List<ClaimedTask> held = slot.held();
        if (held != null) {
            noteLog(slot, held, why);
        }
        store.releaseClaimsOf(slot.workerId, why);
    }

    /**
     * Records what the slot ran and had not recorded yet, gives back what it claimed and did not
     * start, and fails the tasks of its attempt (or retries them, per their policy): one, or every
     * member of a batch; each counts its attempt, even one claimed ahead. Records why this slot stops.
     */
    private void endTasks(Slot slot, String error, String stopReason) {
        slot.loop.handBack();
        List<ClaimedTask> held = slot.held();
        if (held != null) {
            held.forEach(task -> store.markFailed(task.taskId(), slot.workerId, error, null));
        }
        store.endClaimsOf(slot.workerId, error);
        store.workerStopped(slot.workerId, stopReason);
    }

    /** The attempt ends here, not in the loop: its log says why, and its history where the log is. */
    private void noteLog(Slot slot, List<ClaimedTask> tasks, String why) {
        AttemptLogs logs = slot.logs;
        if (logs.written().isPresent()) {
            logs.write("astra-worker: " + why);
        }
        logs.end().ifPresent(file -> store.note(spec.runId(), tasks.stream().map(ClaimedTask::taskId).toList(),
                slot.workerId, AttemptLogs.NOTE_PREFIX + file));
    }

    private static String describe(List<ClaimedTask> tasks) {
        return tasks.size() == 1 ? tasks.get(0).taskId()
                : "a batch of " + tasks.size() + " (" + tasks.get(0).taskId() + ", ...)";
    }

    /** Records on the way out; the process ends either way, so a failure is only logged. */
    private void recordQuietly(Slot slot, String what, Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            log.warn("{}: could not record {}: {}", slot.workerId, what, Exceptions.oneLine(e));
        }
    }

    private void beat() {
        for (Slot slot : slots) {
            try {
                ClaimRunRecord l = slot.loop;
                store.heartbeat(slot.workerId, l == null ? 0 : l.tasksRun());
            } catch (RuntimeException e) {
                log.debug("{}: heartbeat failed: {}", slot.workerId, Exceptions.oneLine(e));
            }
        }
    }
}
