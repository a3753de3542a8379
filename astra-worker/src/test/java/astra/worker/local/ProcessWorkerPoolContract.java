package astra.worker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.internal.LocalProcess;
import astra.core.store.RunInfo;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import astra.plan.GraphPlanner;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPool;
import astra.worker.WorkerProcesses;
import astra.worker.local.ProcessFixtures.AllWork;
import astra.worker.local.ProcessFixtures.CountingInitializer;
import astra.worker.local.ProcessFixtures.FindsWorkAtRunTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local process pool on its own, without a scheduler: plans written by the planner, real
 * child JVMs started by {@link ProcessWorkerPool} from {@link WorkerLaunch}'s command line, each
 * running its initializers once and planning the requirements its tasks find at run time itself.
 * One subclass per database.
 */
abstract class ProcessWorkerPoolContract {

    @TempDir
    Path dir;

    Database database;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
    }

    WorkerOptions options(int workers, List<String> initializers) {
        return new WorkerOptions(workers, db().settings().withPoolSize(2), initializers,
                new WorkerOptions.ChildJvm(List.of("-Dastra.test.dir=" + dir), List.of(), Map.of()), 0,
                WorkerOptions.Timeouts.NONE, RetryPolicy.NONE);
    }

    /** Plans the root, runs the plan on the pool until nothing is left, and returns the run. */
    long runOnPool(WorkerOptions options, Task root) throws InterruptedException {
        TaskStore store = database.store();
        GraphPlanner planner = GraphPlanner.serial(store, RetryPolicy.NONE);
        long runId = store.startRun(new RunInfo(Tasks.id(root), LocalProcess.host(), LocalProcess.pid(), "test"));
        store.writePlan(runId, planner.plan(List.of(root)));
        WorkerPool pool = ProcessWorkerPool.factory(options).create(database, "pool-test:" + runId);
        pool.runUntilIdle(runId);
        store.finishRun(runId, "TESTED");
        return runId;
    }

    List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void childrenRunThePlanEachInitializedAndConnectedOnceAndRecordTheirHost() throws Exception {
        long runId = runOnPool(options(2, List.of(CountingInitializer.class.getName())), new AllWork(dir, 8));

        assertThat(database.store().tasksOfRun(runId)).hasSize(9)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        List<WorkerRecord> workers = database.store().workers(runId);
        assertThat(workers).hasSizeBetween(1, 2).allSatisfy(w -> {
            assertThat(w.connects()).isEqualTo(1);
            assertThat(w.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(w.host()).isEqualTo(LocalProcess.host());
        });
        assertThat(ledger()).filteredOn(l -> l.startsWith("init")).hasSameSizeAs(workers);
    }

    @Test
    void aChildPlansTheRequirementsItsTaskFindsAtRunTimeWithoutTheScheduler() throws Exception {
        long runId = runOnPool(options(1, List.of(CountingInitializer.class.getName())), new FindsWorkAtRunTime(dir));

        List<TaskRecord> tasks = database.store().tasksOfRun(runId);
        assertThat(tasks).extracting(TaskRecord::family).containsExactlyInAnyOrder("FindsWorkAtRunTime", "Work");
        assertThat(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        List<String> ledger = ledger();
        assertThat(ledger).anySatisfy(l -> assertThat(l).startsWith("work99 "));
        assertThat(ledger).anySatisfy(l -> assertThat(l).startsWith("found work "));
    }

    @Test
    void aChildWhoseInitializerFailsStopsThePoolWithTheInitializersWords() {
        AstraException.WorkerStartFailed failed = assertThrows(AstraException.WorkerStartFailed.class,
                () -> runOnPool(options(1, List.of(ProcessFixtures.BrokenInitializer.class.getName())),
                        new AllWork(dir, 2)));

        assertThat(failed.getMessage()).contains("BrokenInitializer").contains("model file is corrupt");
    }

    /** {@code slots} slots in {@code processes} JVMs, as {@code [worker] processes} sets them. */
    WorkerOptions slots(int slots, WorkerProcesses processes, List<String> initializers) {
        return options(slots, initializers).withProcesses(processes);
    }

    /** Runs the pool on another thread; the future ends with it. */
    CompletableFuture<Long> runInBackground(WorkerOptions options, Task root, WorkerPool[] pool) {
        TaskStore store = database.store();
        long runId = store.startRun(new RunInfo(Tasks.id(root), LocalProcess.host(), LocalProcess.pid(), "test"));
        store.writePlan(runId, GraphPlanner.serial(store, RetryPolicy.NONE).plan(List.of(root)));
        pool[0] = ProcessWorkerPool.factory(options).create(database, "pool-test:" + runId);
        return CompletableFuture.supplyAsync(() -> {
            try {
                pool[0].runUntilIdle(runId);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            store.finishRun(runId, "TESTED");
            return runId;
        });
    }

    static long pidOf(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    String lineOf(String start) throws Exception {
        ProcessFixtures.waitForLine(dir, start);
        return ledger().stream().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertThat(System.nanoTime()).as("process %d still alive", pid).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void fiveSlotsOnTwoProcessesRunAsThreeAndTwoThreadsEachProcessInitializedOnce() throws Exception {
        long runId = runOnPool(slots(5, WorkerProcesses.of(2), List.of(CountingInitializer.class.getName())),
                new AllWork(dir, 20));

        assertThat(database.store().tasksOfRun(runId)).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        List<WorkerRecord> workers = database.store().workers(runId);
        assertThat(workers).hasSize(5).allSatisfy(w -> assertThat(w.connects()).isEqualTo(1));
        assertThat(workers).extracting(WorkerRecord::workerId).allSatisfy(id -> assertThat(id).matches(".*-[12]\\.[1-3]"));
        Map<Long, Long> slotsPerPid = workers.stream()
                .collect(Collectors.groupingBy(WorkerRecord::pid, Collectors.counting()));
        assertThat(slotsPerPid.values()).containsExactlyInAnyOrder(3L, 2L);
        Map<Long, Long> initsPerPid = ledger().stream().filter(l -> l.startsWith("init"))
                .collect(Collectors.groupingBy(ProcessWorkerPoolContract::pidOf, Collectors.counting()));
        assertThat(initsPerPid).containsOnlyKeys(slotsPerPid.keySet()).allSatisfy((pid, n) -> assertThat(n).isEqualTo(1));
        assertThat(workers.stream().mapToInt(WorkerRecord::tasksRun).sum()).isEqualTo(21);
    }

    @Test
    void processesEqualToWorkersKeepsEachTaskAloneInItsJvmUnderTheProcessesId() throws Exception {
        WorkerPool[] pool = new WorkerPool[1];
        var running = runInBackground(slots(3, WorkerProcesses.PER_SLOT, List.of()), new ProcessFixtures.ManyWait(dir, 3),
                pool);
        for (int i = 1; i <= 3; i++) {
            lineOf("w" + i + " started");
        }
        Files.writeString(dir.resolve("go"), "");
        long runId = running.get(120, TimeUnit.SECONDS);

        List<WorkerRecord> workers = database.store().workers(runId);
        assertThat(workers).hasSize(3).extracting(WorkerRecord::workerId)
                .allSatisfy(id -> assertThat(id).matches("pool-test:\\d+-\\d+"));
        // The three ran at once, each in a JVM of its own.
        assertThat(ledger().stream().filter(l -> l.contains(" started ")).map(ProcessWorkerPoolContract::pidOf)
                .distinct()).hasSize(3);
    }

    @Test
    void aTaskThatExitsChargesOnlyItselfAndTheOtherSlotsTaskRunsAgainUncounted() throws Exception {
        WorkerPool[] pool = new WorkerPool[1];
        var running = runInBackground(slots(2, WorkerProcesses.of(1), List.of()), new ProcessFixtures.ExitBesideWaits(dir),
                pool);
        long first = pidOf(lineOf("exiting"));
        awaitGone(first);
        Files.writeString(dir.resolve("go"), "");
        long runId = running.get(120, TimeUnit.SECONDS);

        TaskRecord exits = database.store().task(Tasks.id(new ProcessFixtures.ExitsAfter(dir, "w"))).orElseThrow();
        assertThat(exits.state()).isEqualTo(TaskState.FAILED);
        assertThat(exits.error()).contains("System.exit").doesNotContain("could not be told");
        TaskRecord waits = database.store().task(Tasks.id(new ProcessFixtures.Waits(dir, "w"))).orElseThrow();
        assertThat(waits.state()).isEqualTo(TaskState.DONE);
        assertThat(waits.attempts()).isEqualTo(1);
        List<String> started = ledger().stream().filter(l -> l.startsWith("w started")).toList();
        assertThat(started).hasSize(2);
        assertThat(pidOf(started.get(0))).isEqualTo(first);
        assertThat(pidOf(started.get(1))).isNotEqualTo(first);
        assertThat(database.store().workers(runId)).filteredOn(w -> w.pid() == first)
                .extracting(WorkerRecord::stopReason).anySatisfy(r -> assertThat(r).contains("another slot"));
    }

    @Test
    void aTaskPastItsTimeoutFailsAloneAndTheOtherSlotsTaskRunsAgainUncounted() throws Exception {
        WorkerOptions base = slots(2, WorkerProcesses.of(1), List.of());
        WorkerOptions options = new WorkerOptions(base.workers(), base.database(), base.initializers(), base.jvm(), 0,
                new WorkerOptions.Timeouts(Duration.ZERO, Map.of("Sleeps", Duration.ofSeconds(2))), RetryPolicy.NONE,
                null, base.processes());
        WorkerPool[] pool = new WorkerPool[1];
        var running = runInBackground(options, new ProcessFixtures.SleepBesideWaits(dir), pool);
        long first = pidOf(lineOf("sleeping"));
        lineOf("w started");
        awaitGone(first);
        Files.writeString(dir.resolve("go"), "");
        running.get(120, TimeUnit.SECONDS);

        TaskRecord sleeps = database.store().task(Tasks.id(new ProcessFixtures.Sleeps(dir))).orElseThrow();
        assertThat(sleeps.state()).isEqualTo(TaskState.FAILED);
        assertThat(sleeps.error()).isEqualTo("timed out after 2s");
        TaskRecord waits = database.store().task(Tasks.id(new ProcessFixtures.Waits(dir, "w"))).orElseThrow();
        assertThat(waits.state()).isEqualTo(TaskState.DONE);
        assertThat(waits.attempts()).isEqualTo(1);
        assertThat(ledger().stream().filter(l -> l.startsWith("w started"))).hasSize(2);
    }

    @Test
    void concurrentSlotsWriteTheirAttemptLogsApart() throws Exception {
        Path logs = dir.resolve("logs");
        long runId = runOnPool(slots(3, WorkerProcesses.of(1), List.of()).withLogDir(logs),
                new ProcessFixtures.ManyChatty(dir, 3));

        assertThat(ledger().stream().filter(l -> l.startsWith("chatty ")).map(ProcessWorkerPoolContract::pidOf)
                .distinct()).hasSize(1);
        for (String name : List.of("a", "b", "c")) {
            Path file = WorkerOptions.attemptLog(logs, Tasks.id(new ProcessFixtures.Chatty(dir, name, 3)), runId, 1);
            List<String> lines = Files.readAllLines(file).stream().filter(l -> l.startsWith("chatty ")).toList();
            assertThat(lines).as(file.toString()).hasSize(150)
                    .allSatisfy(l -> assertThat(l).startsWith("chatty " + name + " "));
        }
    }

    @Test
    void aStopGivesBackEverySlotsTaskUncounted() throws Exception {
        WorkerPool[] pool = new WorkerPool[1];
        var running = runInBackground(slots(3, WorkerProcesses.of(1), List.of()), new ProcessFixtures.ManyWait(dir, 3),
                pool);
        for (int i = 1; i <= 3; i++) {
            lineOf("w" + i + " started");
        }

        pool[0].stop();
        long runId = running.get(120, TimeUnit.SECONDS);

        for (int i = 1; i <= 3; i++) {
            TaskRecord t = database.store().task(Tasks.id(new ProcessFixtures.Waits(dir, "w" + i))).orElseThrow();
            assertThat(t.state()).isEqualTo(TaskState.PENDING);
            assertThat(t.attempts()).isZero();
        }
        assertThat(database.store().workers(runId)).hasSize(3)
                .allSatisfy(w -> assertThat(w.stopReason()).contains("interrupted"));
    }
}
