package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.db.Database;
import astra.core.store.RunRecord;
import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.WorkerRecord;
import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipelines through {@code --executor slurm} on a real Slurm cluster (three nodes,
 * from {@code slurm-local.sh}) against the test PostgreSQL, run with the packaged launcher as an
 * operator runs them. Skipped with the reason when no cluster answers; CI requires one.
 */
@Tag("slurm")
class SlurmIT {

    @TempDir
    Path workDir;

    private PostgresSchema schema;
    private String db;

    @BeforeEach
    void cluster() throws Exception {
        SlurmCluster.require();
        schema = TestDatabases.postgres();
        db = schema.settings().url();
        // Astra's tables in the test's schema: --db names the database, [database] schema the schema.
        schema.writeConfig(workDir.resolve("utah.cfg"), "");
    }

    /**
     * The jobs of a run end on their own once it has nothing left, a few seconds after it: wait for
     * them before dropping their database (they would fail without it) and before the next test
     * (which would find their nodes busy).
     */
    @AfterEach
    void dropSchemaOnceTheJobsAreGone() throws Exception {
        if (schema == null) {
            return;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> left = astraJobs();
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                left = astraJobs();
            }
            if (!left.isEmpty()) {
                List<String> cancel = new java.util.ArrayList<>(List.of("scancel"));
                cancel.addAll(left);
                SlurmCluster.run(cancel.toArray(String[]::new));
            }
            assertThat(left).as("Slurm jobs still there a minute after the test").isEmpty();
        } finally {
            schema.close();
        }
    }

    /** The jobs Astra submitted that Slurm still lists (its job names start with astra-). */
    private static List<String> astraJobs() throws Exception {
        return SlurmCluster.run("squeue", "-h", "-r", "-o", "%i %j").lines().map(String::strip)
                .filter(l -> l.matches("\\S+ astra-.*")).map(l -> l.split(" ")[0]).toList();
    }

    /** The worker of a task running in job 1 of the run's array (slurm-12_1:n2:pid:run-k), once there is one. */
    private static String workerRunningInSecondJob(Database database, Process run, Path err) throws Exception {
        Optional<String> worker = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (worker.isEmpty() && System.nanoTime() < deadline && run.isAlive()) {
            Thread.sleep(200);
            worker = database.store().latestRun().flatMap(r -> database.store().tasksOfRun(r.runId()).stream()
                    .filter(t -> t.state() == TaskState.RUNNING && t.worker() != null
                            && t.worker().matches("slurm-\\d+_1:.*"))
                    .map(TaskRecord::worker).findFirst());
        }
        assertThat(worker).as("a task running in job _1 of the array; astra said: %s",
                Files.readString(err, StandardCharsets.UTF_8)).isPresent();
        return worker.get();
    }

    private void config(int nodes, int ppn, String more) throws Exception {
        schema.writeConfig(workDir.resolve("utah.cfg"), String.join("\n",
                "[core]", "executor = slurm", "progress_interval = 1s", "",
                "[slurm]", "slurm_nodes = " + nodes, "slurm_ppn = " + ppn, "poll_interval = 1s", "",
                "[ProcessField]", "release = dr17", "output_dir = out", "", more, ""));
    }

    @Test
    void theExamplePipelineRunsInAJobArrayAcrossTheNodes() throws Exception {
        config(3, 2, "");

        LauncherIT.Result result = LauncherIT.astra(workDir, "--cp", LauncherIT.EXAMPLES, "run", "ProcessField",
                "--field", "7", "--n-stars", "12", "--db", db);

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("This run was a success");
        assertThat(result.err()).containsPattern("submitted Slurm job \\d+ \\(array of 3\\) for 3 node\\(s\\) x 2");
        try (Database database = Database.open(schema.settings())) {
            RunRecord run = database.store().latestRun().orElseThrow();
            // astra run ends when nothing is left, without waiting for running jobs: their workers
            // find no work and record their stop on their own, a moment later.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<WorkerRecord> workers = database.store().workers(run.runId());
            while (workers.stream().anyMatch(w -> w.stoppedAt() == null) && System.nanoTime() < deadline) {
                Thread.sleep(100); // a poll interval, under the deadline above
                workers = database.store().workers(run.runId());
            }
            assertThat(workers).isNotEmpty().allSatisfy(w -> {
                assertThat(w.workerId()).startsWith("slurm-");
                assertThat(w.host()).isIn("n1", "n2", "n3");
                assertThat(w.stoppedAt()).isNotNull();
            });
            assertThat(database.store().tasksOfRun(run.runId())).hasSize(12 * 3 + 2)
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
            Path jobs = workDir.resolve(".astra/logs/slurm/run-" + run.runId());
            assertThat(jobs.resolve("default.sh")).exists();
            long started;
            try (var files = Files.list(jobs)) {
                started = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".err")).count();
            }
            // A job still queued when the work ran out (its node busy with an earlier test's job) is
            // cancelled, and writes nothing.
            assertThat(started).isBetween(1L, 3L);
            if (started < 3) {
                assertThat(result.err()).contains("cancelled Slurm job(s)");
            }
        }
        LauncherIT.Result status = LauncherIT.astra(workDir, "status", "--limit", "0", "--db", db);
        assertThat(status.out()).contains("HOST", "WORKERS", "RUNNING NOW", "TASKS RUN");
    }

    @Test
    void aJobCancelledMidRunHasItsTasksRunAgainByAnotherJobAndEachTaskIsDoneOnce() throws Exception {
        config(3, 2, "");
        Path out = workDir.resolve("run.out");
        Path err = workDir.resolve("run.err");
        Process run = LauncherIT.start(workDir, out, err, "--cp", LauncherIT.BENCH, "run", "Sleepers",
                "--n", "30", "--millis", "2000", "--db", db);
        String running;
        try (Database database = Database.open(schema.settings())) {
            running = workerRunningInSecondJob(database, run, err);
        }
        String victim = running.substring("slurm-".length(), running.indexOf(':'));
        SlurmCluster.run("scancel", victim);

        assertThat(run.waitFor(180, TimeUnit.SECONDS)).as("astra run ends").isTrue();
        String said = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(said).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("31 ran successfully");
        assertThat(said).contains("Slurm job " + victim, "ended: CANCELLED");
        try (Database database = Database.open(schema.settings())) {
            RunRecord last = database.store().latestRun().orElseThrow();
            List<TaskEvent> events = database.store().eventsOfRun(last.runId());
            Map<String, Long> doneEvents = events.stream().filter(e -> e.state() == TaskState.DONE)
                    .collect(Collectors.groupingBy(TaskEvent::taskId, Collectors.counting()));
            assertThat(doneEvents).hasSize(31).allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1));
            // What the cancelled job held went back to the queue and was done by another job's worker.
            Set<String> given = events.stream()
                    .filter(e -> e.worker() != null && e.worker().startsWith("slurm-" + victim + ":"))
                    .filter(e -> e.state() == TaskState.PENDING).map(TaskEvent::taskId).collect(Collectors.toSet());
            assertThat(given).isNotEmpty();
            Map<String, TaskRecord> rows = database.store().tasks(given).stream()
                    .collect(Collectors.toMap(TaskRecord::taskId, Function.identity()));
            assertThat(rows.values()).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.DONE);
                assertThat(t.worker()).doesNotStartWith("slurm-" + victim + ":");
            });
        }
    }

    @Test
    void workersStartedByHandShareTheQueueWithTheRunsJobs() throws Exception {
        config(1, 1, "");
        Path out = workDir.resolve("run.out");
        Path err = workDir.resolve("run.err");
        Process run = LauncherIT.start(workDir, out, err, "--cp", LauncherIT.BENCH, "run", "Sleepers",
                "--n", "16", "--millis", "1500", "--db", db);
        // A second "host": workers started by hand on the same database, serving whatever run has work.
        LauncherIT.Result hand = LauncherIT.astra(workDir, "--cp", LauncherIT.BENCH, "worker", "--any",
                "--workers", "2", "--exit-when-idle", "5s", "--db", db);

        assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
        assertThat(hand.code()).as(hand.err()).isZero();
        assertThat(hand.err()).contains("serving run");
        try (Database database = Database.open(schema.settings())) {
            RunRecord last = database.store().latestRun().orElseThrow();
            Map<Boolean, Long> doneByJob = database.store().tasksOfRun(last.runId()).stream()
                    .filter(t -> t.family().equals("Sleeper"))
                    .peek(t -> assertThat(t.state()).isEqualTo(TaskState.DONE))
                    .collect(Collectors.partitioningBy(t -> t.worker().startsWith("slurm-"), Collectors.counting()));
            assertThat(doneByJob.get(true)).as("tasks done in the Slurm job").isPositive();
            assertThat(doneByJob.get(false)).as("tasks done by the hand-started workers").isPositive();
        }
    }

    @Test
    void aFamilyWithItsOwnSlurmSettingsRunsOnlyInItsOwnJobGroup() throws Exception {
        config(2, 1, "[slurm.EstimateLabels]\nslurm_nodes = 1\nslurm_ppn = 2\n");

        LauncherIT.Result result = LauncherIT.astra(workDir, "--cp", LauncherIT.EXAMPLES, "run", "ProcessField",
                "--field", "8", "--n-stars", "8", "--db", db);

        assertThat(result.code()).as(result.err()).isZero();
        java.util.regex.Matcher group = java.util.regex.Pattern
                .compile("submitted Slurm job (\\d+) for group EstimateLabels, 1 node\\(s\\) x 2 worker").matcher(result.err());
        assertThat(group.find()).as(result.err()).isTrue();
        String groupWorkers = "slurm-" + group.group(1) + ":";
        assertThat(result.err()).containsPattern("submitted Slurm job \\d+ \\(array of 2\\) for 2 node\\(s\\) x 1");
        try (Database database = Database.open(schema.settings())) {
            RunRecord run = database.store().latestRun().orElseThrow();
            List<TaskRecord> tasks = database.store().tasksOfRun(run.runId());
            assertThat(tasks).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.DONE);
                if (t.family().equals("EstimateLabels")) {
                    assertThat(t.worker()).as(t.taskId()).startsWith(groupWorkers);
                } else {
                    assertThat(t.worker()).as(t.taskId()).startsWith("slurm-").doesNotStartWith(groupWorkers);
                }
            });
            assertThat(Files.readString(workDir.resolve(".astra/logs/slurm/run-" + run.runId() + "/EstimateLabels.sh")))
                    .contains("'--families' 'EstimateLabels'");
        }
    }

    @Test
    void oneFamilyOnSlurmAndTheRestOnTheLocalWorkers() throws Exception {
        schema.writeConfig(workDir.resolve("utah.cfg"), String.join("\n",
                "[slurm]", "slurm_nodes = 1", "slurm_ppn = 2", "poll_interval = 1s", "",
                "[slurm.EstimateLabels]", "use_slurm = true", "",
                "[ProcessField]", "release = dr17", "output_dir = out", ""));

        LauncherIT.Result result = LauncherIT.astra(workDir, "--cp", LauncherIT.EXAMPLES, "run", "ProcessField",
                "--field", "9", "--n-stars", "6", "--workers", "2", "--db", db);

        assertThat(result.code()).as(result.err()).isZero();
        try (Database database = Database.open(schema.settings())) {
            RunRecord run = database.store().latestRun().orElseThrow();
            assertThat(database.store().tasksOfRun(run.runId())).hasSize(6 * 3 + 2).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.DONE);
                if (t.family().equals("EstimateLabels")) {
                    assertThat(t.worker()).as(t.taskId()).startsWith("slurm-");
                } else {
                    assertThat(t.worker()).as(t.taskId()).doesNotStartWith("slurm-");
                }
            });
        }
    }

    /**
     * Jobs of one minute, tasks of 15 s: each job's worker claims only tasks it expects to finish
     * before its time limit (from how long the family's done tasks took), stops cleanly, and the
     * run submits another job for the rest; no task is cut off or charged twice.
     */
    @Test
    void aJobStopsBeforeItsTimeLimitAndAnotherTakesOverTheRest() throws Exception {
        schema.writeConfig(workDir.resolve("utah.cfg"), String.join("\n",
                "[core]", "executor = slurm", "progress_interval = 1s", "",
                "[slurm]", "slurm_nodes = 1", "slurm_ppn = 1", "slurm_walltime = 1", "poll_interval = 1s", ""));

        LauncherIT.Result result = LauncherIT.astra(workDir, "--cp", LauncherIT.BENCH, "run", "Sleepers", "--n", "4",
                "--millis", "15000", "--db", db);

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err()).contains("stopped before its time limit; another job takes over what is left")
                .doesNotContain("TIMEOUT");
        try (Database database = Database.open(schema.settings())) {
            RunRecord run = database.store().latestRun().orElseThrow();
            List<TaskRecord> tasks = database.store().tasksOfRun(run.runId());
            assertThat(tasks).hasSize(5).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.DONE);
                assertThat(t.attempts()).as("attempts of " + t.taskId()).isEqualTo(1);
            });
            assertThat(tasks.stream().map(t -> t.worker().substring(0, t.worker().indexOf(':'))).distinct().count())
                    .as("jobs that ran the tasks").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aJobWhoseProcessesDieWithoutAWordHasItsTasksEndedByTheRunAndRetried() throws Exception {
        config(3, 2, "[scheduler]\nretry_count = 1\n");
        Path out = workDir.resolve("run.out");
        Path err = workDir.resolve("run.err");
        Process run = LauncherIT.start(workDir, out, err, "--cp", LauncherIT.BENCH, "run", "Sleepers",
                "--n", "24", "--millis", "2000", "--db", db);
        String victim;
        List<String> held;
        try (Database database = Database.open(schema.settings())) {
            String worker = workerRunningInSecondJob(database, run, err);
            String prefix = worker.substring(0, worker.indexOf(':') + 1);
            victim = prefix.substring("slurm-".length(), prefix.length() - 1);
            // As a node that loses power: every process of the job dies at once, telling nobody.
            long runId = database.store().latestRun().orElseThrow().runId();
            List<String> pids = new java.util.ArrayList<>();
            String[] parts = worker.split(":");
            pids.add(parts[2]);
            database.store().workers(runId).stream().filter(w -> w.workerId().startsWith(prefix))
                    .forEach(w -> pids.add(Long.toString(w.pid())));
            held = database.store().tasksOfRun(runId).stream()
                    .filter(t -> t.state() == TaskState.RUNNING && t.worker().startsWith(prefix))
                    .map(TaskRecord::taskId).toList();
            // Children first: a worker JVM whose parent died before it would read the end of its
            // pipe and give its tasks back in an orderly way (as CI once saw), which is not this case.
            List<String> kill = new java.util.ArrayList<>(List.of("kill", "-KILL"));
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> childrenFirst(p, kill));
            }
            new ProcessBuilder(kill).inheritIO().start().waitFor();
        }

        assertThat(run.waitFor(180, TimeUnit.SECONDS)).as("astra run ends").isTrue();
        String said = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(said).isZero();
        assertThat(said).contains("Slurm job " + victim);
        try (Database database = Database.open(schema.settings())) {
            long runId = database.store().latestRun().orElseThrow().runId();
            Map<String, Long> done = database.store().eventsOfRun(runId).stream()
                    .filter(e -> e.state() == TaskState.DONE)
                    .collect(Collectors.groupingBy(TaskEvent::taskId, Collectors.counting()));
            assertThat(done).hasSize(25).allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1));
            for (String task : held) {
                assertThat(database.store().events(task)).as(task).anySatisfy(e -> assertThat(e.message())
                        .contains("will retry", "its Slurm job " + victim));
                assertThat(database.store().task(task).orElseThrow().attempts()).as(task).isEqualTo(2);
            }
        }
    }

    /** Adds a process's tree to {@code pids}, each process after its children (once). */
    private static void childrenFirst(ProcessHandle process, List<String> pids) {
        process.children().forEach(child -> childrenFirst(child, pids));
        String pid = Long.toString(process.pid());
        if (!pids.contains(pid)) {
            pids.add(pid);
        }
    }
}
