package astra.worker.slurm;

import astra.core.AstraException;
import astra.core.db.Database;
import astra.core.internal.Exceptions;
import astra.core.internal.StateFiles;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPool;
import astra.worker.WorkerPoolFactory;
import astra.worker.local.HostWorkers;
import astra.worker.local.ProcessWorkerPool;
import astra.worker.local.WorkerLaunch;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's workers in Slurm jobs: each {@link SlurmOptions.JobGroup} is submitted as one job
 * array whose jobs each run {@code astra worker --run <run>} on their node, claiming from the
 * same database. The pool follows the jobs ({@code squeue}; for a job that left the queue,
 * {@code scontrol}, then {@code sacct}, tolerating a job that none lists for
 * {@link #VANISH_GRACE}) and treats a job that ended like a dead worker: the tasks its workers
 * still hold are ended (retried under the retry policy, or given back when the run was stopped),
 * and while its group has work left a job replaces it. A job that ran out of time is no failure:
 * its workers claim only what they expect to finish before its time limit and then stop (or, at
 * the limit or a preemption, give back what they hold on Slurm's SIGTERM); what they held goes
 * back uncounted, and a new job takes over, as often as the run needs. A job that failed before any of its
 * workers registered stops the run, quoting the end of its error file: the next would fail the
 * same way. {@link #stop} cancels every job ({@code scancel}); their workers give back their
 * tasks.
 */
public final class SlurmWorkerPool implements WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(SlurmWorkerPool.class);

    /** How long a job may be missing from squeue, scontrol and sacct (which lags) before it is taken as gone. */
    static final Duration VANISH_GRACE = Duration.ofSeconds(60);

    /** How long jobs get to end after scancel before the pool stops waiting for them. */
    private static final long CANCEL_GRACE_MILLIS = 45_000;

    /** The states of a job that Slurm ended for its time (or for another job): not a failure of its own. */
    private static final Set<String> OUT_OF_TIME_STATES = Set.of("TIMEOUT", "PREEMPTED", "DEADLINE");

    /** Replacement jobs per group at most, as a multiple of its size: jobs that keep dying stop the run. */
    private static final int REPLACEMENTS_PER_NODE = 3;

    private final SlurmOptions options;
    private final WorkerLaunch.Entry entry;
    private final TaskStore store;
    private final Path logRoot;
    private final Path workingDir;
    private final PrintStream err;
    private final SlurmCommands slurm;
    /** Every job submitted, by its squeue name, in submission order. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private volatile boolean stopped;

    /** One job, as last seen. */
    private static final class Job {
        final String name;
        final SlurmOptions.JobGroup group;
        final Path errFile;
        String state = "SUBMITTED";
        String node = "";
        long lastSeen = System.nanoTime();
        boolean ended;
        /** Ended other than by completing (cancelled, node failure, walltime): replaced while there is work. */
        boolean died;
        /** Ended for its time limit (or preempted), or stopped before it: replaced without counting as a death. */
        boolean outOfTime;
        boolean replaced;

        Job(String name, SlurmOptions.JobGroup group, Path errFile) {
            this.name = name;
            this.group = group;
            this.errFile = errFile;
        }

        /** The prefix of the ids of this job's workers ({@link SlurmOptions#workerIdPrefix}). */
        String workers() {
            return SlurmOptions.workerIdPrefix(name);
        }
    }

    /**
     * @param entry what a job runs to become {@code astra worker} on its node
     * @param logDir the run's log directory: job scripts and output go to {@code slurm/run-<run>/} in it
     * @param workingDir where the jobs start (relative paths of the config resolve the same there)
     */
    SlurmWorkerPool(SlurmOptions options, WorkerLaunch.Entry entry, TaskStore store, Path logDir, Path workingDir,
            PrintStream err, SlurmCommands slurm) {
        this.options = options;
        this.entry = entry;
        this.store = store;
        this.logRoot = logDir.resolve("slurm");
        this.workingDir = workingDir;
        this.err = err;
        this.slurm = slurm;
    }

    /**
     * The pool where the config places a run's tasks ({@link SlurmOptions}): worker processes of
     * this host for the local families ({@link ProcessWorkerPool#factory}), Slurm jobs for the
     * others, all claiming from the same database.
     *
     * @param entry what a job runs to become {@code astra worker} on its node
     * @param workingDir where the jobs start
     */
    public static WorkerPoolFactory placed(WorkerOptions options, SlurmOptions slurm, WorkerLaunch.Entry entry,
            Path workingDir) {
        WorkerPoolFactory local = ProcessWorkerPool.factory(options);
        if (!slurm.usesSlurm()) {
            return local;
        }
        int perSlot = options.connectionsPerSlot();
        int slurmWorkers = slurm.groups().stream().mapToInt(g -> g.shape().nodes() * g.shape().ppn()).sum();
        int slurmConnections = slurm.groups().stream()
                .mapToInt(g -> g.shape().nodes() * (g.shape().ppn() * perSlot + HostWorkers.PARENT_POOL_SIZE)).sum();
        Path logDir = options.logDir() != null ? options.logDir() : workingDir.resolve(WorkerOptions.DEFAULT_LOG_DIR);
        return new WorkerPoolFactory() {
            @Override
            public WorkerPool create(Database database, String workerIdPrefix) {
                WorkerPool jobs = new SlurmWorkerPool(slurm, entry, database.store(), logDir, workingDir, System.err,
                        new SlurmCommands());
                return slurm.local().<WorkerPool>map(scope -> new SplitPool(
                        new ProcessWorkerPool(options, scope, database, workerIdPrefix, System.err), jobs)).orElse(jobs);
            }

            @Override
            public int connections() {
                return (slurm.local().isPresent() ? local.connections() : 0) + slurmConnections;
            }

            @Override
            public int workers() {
                return (slurm.local().isPresent() ? local.workers() : 0) + slurmWorkers;
            }

            @Override
            public RetryPolicy retry() {
                return options.retry();
            }
        };
    }

    @Override
    public void runUntilIdle(long runId) throws InterruptedException {
        try {
            follow(runId);
        } catch (InterruptedException | RuntimeException e) {
            cancelLive();
            throw e;
        }
    }

    private void follow(long runId) throws InterruptedException {
        Map<SlurmOptions.JobGroup, Integer> replaced = new LinkedHashMap<>();
        for (SlurmOptions.JobGroup group : options.groups()) {
            if (!stopped && store.hasWorkLeft(runId, group.scope())) {
                submit(runId, group, group.shape().nodes());
            }
        }
        long cancelDeadline = -1;
        while (true) {
            // Read once: stop() may come from another thread (Ctrl-C) at any moment.
            boolean stopping = stopped;
            if (stopping && cancelDeadline < 0) {
                cancelDeadline = System.currentTimeMillis() + CANCEL_GRACE_MILLIS;
                cancelLive();
            }
            refresh(runId);
            if (stopping) {
                if (live().isEmpty()) {
                    return;
                }
                if (System.currentTimeMillis() > cancelDeadline) {
                    for (Job job : live()) {
                        log.warn("Slurm job {} did not end in time after scancel: the tasks its workers hold are"
                                + " given back", job.name);
                        job.state = "CANCELLING";
                        ended(runId, job);
                    }
                    return;
                }
            } else if (!replaceDead(runId, replaced)) {
                // Jobs still queued would start for nothing; running ones end on their own, their
                // workers finding nothing left.
                cancel(live().stream().filter(j -> j.state.equals("PENDING") || j.state.equals("SUBMITTED")).toList());
                return;
            }
            Thread.sleep(stopping ? 500 : options.pollInterval().toMillis());
        }
    }

    /**
     * For each group with work left, a job for each of its jobs that died, or one when none is
     * left (its jobs completed, and a task came back for a retry). Returns whether any group has
     * work left.
     */
    private boolean replaceDead(long runId, Map<SlurmOptions.JobGroup, Integer> replaced) {
        boolean workLeft = false;
        for (SlurmOptions.JobGroup group : options.groups()) {
            List<Job> ofGroup;
            synchronized (jobs) {
                ofGroup = jobs.values().stream().filter(j -> j.group.equals(group)).toList();
            }
            List<Job> dead = ofGroup.stream().filter(j -> j.died && !j.replaced).toList();
            List<Job> expired = ofGroup.stream().filter(j -> j.outOfTime && !j.replaced).toList();
            if (!store.hasWorkLeft(runId, group.scope())) {
                dead.forEach(j -> j.replaced = true);
                expired.forEach(j -> j.replaced = true);
                continue;
            }
            workLeft = true;
            int wanted = dead.size() + expired.size();
            if (wanted == 0 && ofGroup.stream().allMatch(j -> j.ended)) {
                wanted = 1;
            }
            if (wanted == 0) {
                continue;
            }
            // Jobs that ran out of time are replaced without limit: a long run outlives many.
            int used = replaced.merge(group, wanted - expired.size(), Integer::sum);
            if (used > REPLACEMENTS_PER_NODE * group.shape().nodes()) {
                throw new AstraException.WorkerStartFailed("the Slurm jobs of " + group.describe()
                        + " keep ending while it has work left (" + (used - wanted + expired.size())
                        + " replaced already); see " + logRoot.resolve("run-" + runId));
            }
            dead.forEach(j -> j.replaced = true);
            expired.forEach(j -> j.replaced = true);
            submit(runId, group, wanted);
        }
        return workLeft;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** The jobs not known to have ended. */
    private List<Job> live() {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> !j.ended).toList();
        }
    }

    private void cancelLive() {
        cancel(live());
    }

    private void cancel(List<Job> which) {
        List<String> names = which.stream().map(j -> j.name).toList();
        if (names.isEmpty()) {
            return;
        }
        try {
            slurm.scancel(names);
            err.println("astra: cancelled Slurm job(s) " + String.join(" ", names));
            err.flush();
        } catch (SlurmCommands.SlurmUnavailable e) {
            log.warn("could not cancel Slurm job(s) {}: {}", String.join(" ", names), Exceptions.oneLine(e));
        }
    }

    /** Submits {@code count} jobs of the group: an array, or one job to replace one that ended. */
    private void submit(long runId, SlurmOptions.JobGroup group, int count) {
        Path dir = logRoot.resolve("run-" + runId);
        Path script = dir.resolve(group.name() + ".sh");
        try {
            StateFiles.createDirectories(dir);
            Files.writeString(script, script(runId, group), StandardCharsets.UTF_8);
            script.toFile().setExecutable(true);
        } catch (IOException e) {
            throw new AstraException.WorkerStartFailed("could not write the Slurm job script " + script + ": "
                    + e.getMessage());
        }
        boolean array = count > 1;
        String pattern = group.name() + (array ? "-%A_%a" : "-%j");
        List<String> sbatch = new ArrayList<>(List.of("--job-name=astra-" + runId + "-" + group.name(),
                "--chdir=" + workingDir, "--output=" + dir.resolve(pattern + ".out"),
                "--error=" + dir.resolve(pattern + ".err")));
        if (array) {
            sbatch.add("--array=0-" + (count - 1));
        }
        sbatch.addAll(group.shape().sbatchOptions());
        sbatch.addAll(options.sbatchOptions());
        String id = slurm.sbatch(sbatch, script);
        List<String> names = new ArrayList<>();
        synchronized (jobs) {
            for (int i = 0; i < count; i++) {
                String name = array ? id + "_" + i : id;
                names.add(name);
                jobs.put(name, new Job(name, group, dir.resolve(group.name() + "-" + name + ".err")));
            }
        }
        err.println("astra: submitted Slurm job " + (array ? id + " (array of " + count + ")" : id) + " for "
                + (group.name().equals(SlurmOptions.DEFAULT_GROUP) ? "" : group.describe() + ", ") + count + " node(s) x "
                + group.shape().ppn() + " worker(s): " + String.join(" ", names) + "; output in " + dir);
        err.flush();
    }

    /** A script that starts this host's workers of the group in the job's working directory. */
    private String script(long runId, SlurmOptions.JobGroup group) {
        return "#!/bin/sh\n"
                + "# astra run " + runId + ", Slurm job group " + group.name() + " (" + group.scope().describe() + "):\n"
                + "# the workers of one node, claiming from the run's database.\n"
                + "exec " + WorkerLaunch.hostWorkers(entry, jobArguments(runId, group)).stream()
                        .map(SlurmWorkerPool::quote).collect(Collectors.joining(" ")) + "\n";
    }

    /** The options of {@code astra worker} that differ by run and group: the run, the node's workers, the families. */
    static List<String> jobArguments(long runId, SlurmOptions.JobGroup group) {
        List<String> arguments = new ArrayList<>(List.of(
                "--run", Long.toString(runId), "--workers", Integer.toString(group.shape().ppn())));
        if (!group.scope().only().isEmpty()) {
            arguments.addAll(List.of("--families", String.join(",", group.scope().only())));
        } else if (!group.scope().except().isEmpty()) {
            arguments.addAll(List.of("--except-families", String.join(",", group.scope().except())));
        }
        return arguments;
    }

    /** Single quotes for sh: nothing inside is expanded. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Looks up every live job, and ends those that ended. */
    private void refresh(long runId) {
        List<Job> live = live();
        if (live.isEmpty()) {
            return;
        }
        Map<String, SlurmCommands.JobStatus> seen;
        try {
            seen = new LinkedHashMap<>(slurm.squeue(arrayIds(live)));
            List<Job> missing = live.stream().filter(j -> !seen.containsKey(j.name)).toList();
            if (!missing.isEmpty()) {
                for (String id : arrayIds(missing)) {
                    slurm.scontrol(id).forEach(seen::putIfAbsent);
                }
                List<Job> stillMissing = missing.stream().filter(j -> !seen.containsKey(j.name)).toList();
                if (!stillMissing.isEmpty()) {
                    slurm.sacct(arrayIds(stillMissing)).forEach(seen::putIfAbsent);
                }
            }
        } catch (SlurmCommands.SlurmUnavailable e) {
            // The controller may be restarting: look again next time, and count nothing as gone.
            log.warn("could not look up the Slurm jobs: {}", Exceptions.oneLine(e));
            return;
        }
        long now = System.nanoTime();
        for (Job job : live) {
            SlurmCommands.JobStatus status = seen.get(job.name);
            if (status != null) {
                job.lastSeen = now;
                job.state = status.state();
                if (!status.node().isEmpty()) {
                    job.node = status.node();
                }
                if (status.ended()) {
                    ended(runId, job);
                }
            } else if (now - job.lastSeen > VANISH_GRACE.toNanos()) {
                job.state = "VANISHED";
                ended(runId, job);
            }
        }
    }

    /** The ids to ask Slurm about: an array's own id covers its jobs. */
    private static Set<String> arrayIds(List<Job> live) {
        Set<String> ids = new TreeSet<>();
        live.forEach(j -> ids.add(j.name.contains("_") ? j.name.substring(0, j.name.indexOf('_')) : j.name));
        return ids;
    }

    /** A job ended: the tasks its workers hold are ended like a dead worker's. */
    private void ended(long runId, Job job) {
        job.ended = true;
        String reason = "its Slurm job " + job.name + (job.node.isEmpty() ? "" : " on " + job.node) + " ended ("
                + job.state + ")";
        List<WorkerRecord> workers = store.workers(runId).stream()
                .filter(w -> w.workerId().startsWith(job.workers())).toList();
        // Its time ran out (or it was preempted), or its workers stopped before that with nothing
        // left that would fit: not a failure; another job takes over what is left.
        job.outOfTime = !stopped && (OUT_OF_TIME_STATES.contains(job.state) || (job.state.equals("COMPLETED")
                && workers.stream().anyMatch(w -> HostWorkers.OUT_OF_TIME_REASON.equals(w.stopReason()))));
        job.died = !job.state.equals("COMPLETED") && !stopped && !job.outOfTime;
        List<String> tasks = new ArrayList<>();
        for (WorkerRecord worker : workers) {
            tasks.addAll(stopped || job.outOfTime ? store.releaseClaimsOf(worker.workerId(), reason)
                    : store.endClaimsOf(worker.workerId(), reason));
            if (worker.stoppedAt() == null) {
                store.workerStopped(worker.workerId(), reason.substring("its ".length()));
            }
        }
        if (job.outOfTime) {
            err.println("astra: Slurm job " + job.name + (job.node.isEmpty() ? "" : " on " + job.node)
                    + (job.state.equals("COMPLETED") ? " stopped before its time limit" : " ended: " + job.state)
                    + (tasks.isEmpty() ? "" : "; the task(s) its workers held were given back: " + String.join(", ", tasks))
                    + "; another job takes over what is left");
            err.flush();
            return;
        }
        if (job.state.equals("COMPLETED") && tasks.isEmpty()) {
            log.info("Slurm job {} on {} completed", job.name, job.node);
            return;
        }
        List<String> again = tasks.stream().filter(id -> store.task(id)
                .map(t -> t.state() == TaskState.PENDING).orElse(false)).toList();
        List<String> failed = tasks.stream().filter(id -> !again.contains(id)).toList();
        err.println("astra: Slurm job " + job.name + (job.node.isEmpty() ? "" : " on " + job.node) + " ended: "
                + job.state + (again.isEmpty() ? "" : "; the task(s) its workers held will run again: "
                        + String.join(", ", again))
                + (failed.isEmpty() ? "" : "; failed (no retries left): " + String.join(", ", failed)));
        err.flush();
        if (!stopped && workers.isEmpty() && !job.state.equals("CANCELLED") && !job.state.equals("COMPLETED")) {
            throw new AstraException.WorkerStartFailed("Slurm job " + job.name + " ended (" + job.state
                    + ") before any of its workers started" + lastLines(job.errFile) + " (see " + job.errFile + ")");
        }
    }

    private static String lastLines(Path file) {
        try {
            // Stack frames say little to an operator: the exception's line says what happened.
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.strip().startsWith("at ") && !l.strip().startsWith("..."))
                    .toList();
            List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return last.isEmpty() ? "" : ": " + String.join(" ", last).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
