package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.store.TaskState;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.local.ProcessFixtures.AllWork;
import astra.worker.local.ProcessFixtures.Mixed;
import astra.worker.local.ProcessFixtures.Waits;
import astra.worker.local.ProcessFixtures;
import astra.worker.local.ProcessWorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on real child worker processes; one subclass per database. */
abstract class ProcessPoolContract {

    @TempDir
    Path dir;

    Database database;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
    }

    WorkerOptions options(int workers, List<String> initializers, Duration timeout, int retries) {
        return new WorkerOptions(workers, db().settings().withPoolSize(2), initializers, jvm(), 0,
                WorkerOptions.Timeouts.of(timeout), RetryPolicy.of(retries));
    }

    WorkerOptions.ChildJvm jvm() {
        return new WorkerOptions.ChildJvm(List.of("-Dastra.test.dir=" + dir, "-XX:TieredStopAtLevel=1", "-Xshare:auto"),
                List.of(), Map.of("ASTRA_TEST_ENV", "from the parent's config"));
    }

    ExecutionSummary run(WorkerOptions options, Task root) throws InterruptedException {
        return new Scheduler(database, SchedulerOptions.SERIAL, ProcessWorkerPool.factory(options))
                .run(List.of(root), "test");
    }

    List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    static long pidOf(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void tasksRunInChildrenThatEachInitializedOnceAndConnectedOnce() throws Exception {
        ExecutionSummary summary = run(options(3, List.of(ProcessFixtures.CountingInitializer.class.getName()),
                Duration.ZERO, 0), new AllWork(dir, 30));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(31);
        List<String> lines = ledger();
        List<String> work = lines.stream().filter(l -> l.startsWith("work")).toList();
        assertThat(work).hasSize(30);
        long parent = ProcessHandle.current().pid();
        assertThat(work).allSatisfy(l -> assertThat(pidOf(l)).isNotEqualTo(parent));
        // Each task got the model its own process loaded.
        assertThat(work).allSatisfy(l -> assertThat(l).contains("model " + pidOf(l) + " "));
        Map<Long, Long> initsPerPid = lines.stream().filter(l -> l.startsWith("init"))
                .collect(Collectors.groupingBy(ProcessPoolContract::pidOf, Collectors.counting()));
        assertThat(initsPerPid.values()).allMatch(n -> n == 1);
        List<WorkerRecord> workers = database.store().workers(summary.runId());
        assertThat(workers).hasSize(initsPerPid.size()).hasSizeBetween(1, 3);
        assertThat(workers).allSatisfy(w -> {
            assertThat(w.connects()).isEqualTo(1);
            // Ready (spawn to registration) includes the JVM's start, so it is longer than the initializers alone.
            assertThat(w.readyMillis()).isGreaterThan(w.initMillis());
            assertThat(initsPerPid).containsKey(w.pid());
            assertThat(w.stoppedAt()).isNotNull();
        });
    }

    @Test
    void childrenAreReplacedAfterTheirMaximumOfTasksAndWorkWithoutAPoolAndWithTheirEnvironment() throws Exception {
        WorkerOptions options = new WorkerOptions(2, db().settings().withPooling(false),
                List.of(ProcessFixtures.CountingInitializer.class.getName()), jvm(), 4, WorkerOptions.Timeouts.NONE, RetryPolicy.NONE);

        ExecutionSummary summary = run(options, new ProcessFixtures.AllWork(dir, 12));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        List<WorkerRecord> workers = database.store().workers(summary.runId());
        assertThat(workers.stream().mapToInt(WorkerRecord::tasksRun).sum()).isEqualTo(13);
        assertThat(workers).hasSizeGreaterThanOrEqualTo(4).allSatisfy(w -> assertThat(w.tasksRun()).isLessThanOrEqualTo(4));
        assertThat(workers).filteredOn(w -> "max tasks per child".equals(w.stopReason())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ledger()).filteredOn(l -> l.startsWith("work")).hasSize(12)
                .allSatisfy(l -> assertThat(l).contains("env from the parent's config"));
    }

    @Test
    void aChildKilledMidTaskIsReplacedAndTheTaskRetriedAndDoneOnce() throws Exception {
        Waits waits = new Waits(dir, "w");
        CompletableFuture<ExecutionSummary> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(options(1, List.of(), Duration.ZERO, 1), waits);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long child = pidOf(awaitLine("w started"));

        ProcessHandle.of(child).orElseThrow().destroyForcibly();
        Files.writeString(dir.resolve("go"), "");
        ExecutionSummary summary = running.get();

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        List<String> lines = ledger();
        assertThat(lines.stream().filter(l -> l.startsWith("w started"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("w finished"))).hasSize(1)
                .allSatisfy(l -> assertThat(pidOf(l)).isNotEqualTo(child));
        assertThat(database.store().task(Tasks.id(waits)).orElseThrow().state()).isEqualTo(TaskState.DONE);
        List<WorkerRecord> workers = database.store().workers(summary.runId());
        assertThat(workers).hasSize(2);
        assertThat(workers.get(0).pid()).isEqualTo(child);
        assertThat(workers.get(0).stopReason()).contains("killed");
    }

    @Test
    void aTaskPastItsTimeoutFailsAndTheRestRuns() throws Exception {
        Mixed root = new Mixed(dir, List.of("sleeps", "independent"));

        ExecutionSummary summary = run(options(1, List.of(), Duration.ofSeconds(2), 0), root);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(database.store().task(Tasks.id(new ProcessFixtures.Sleeps(dir))).orElseThrow().error())
                .isEqualTo("timed out after 2s");
        assertThat(ledger()).anyMatch(l -> l.startsWith("independent"));
    }

    @Test
    void aFamilyCanHaveATimeoutOfItsOwn() throws Exception {
        Mixed root = new Mixed(dir, List.of("sleeps", "independent"));
        WorkerOptions base = options(1, List.of(), Duration.ofHours(1), 0);
        WorkerOptions options = new WorkerOptions(base.workers(), base.database(), base.initializers(), base.jvm(), 0,
                new WorkerOptions.Timeouts(Duration.ofHours(1), Map.of("Sleeps", Duration.ofSeconds(1))), RetryPolicy.NONE);

        ExecutionSummary summary = run(options, root);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(database.store().task(Tasks.id(new ProcessFixtures.Sleeps(dir))).orElseThrow().error())
                .isEqualTo("timed out after 1s");
    }

    @Test
    void aTaskThatThrowsOrExitsFailsWithItsErrorAndTheRestRuns() throws Exception {
        Mixed root = new Mixed(dir, List.of("throws", "exits", "independent"));

        ExecutionSummary summary = run(options(2, List.of(), Duration.ZERO, 0), root);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.failed()).isEqualTo(2);
        assertThat(database.store().task(Tasks.id(new ProcessFixtures.Throws(dir))).orElseThrow().error())
                .isEqualTo("IllegalStateException: spectrum has no flux");
        assertThat(database.store().task(Tasks.id(new ProcessFixtures.Exits(dir))).orElseThrow().error())
                .contains("System.exit");
        assertThat(ledger()).anyMatch(l -> l.startsWith("independent"));
    }

    @Test
    void aBrokenInitializerStopsTheRunNamingItAndItsError() {
        AstraException.WorkerStartFailed e = assertThrows(AstraException.WorkerStartFailed.class,
                () -> run(options(2, List.of(ProcessFixtures.BrokenInitializer.class.getName()), Duration.ZERO, 0),
                        new AllWork(dir, 3)));

        assertThat(e.getMessage()).contains(ProcessFixtures.BrokenInitializer.class.getName())
                .contains("IllegalStateException: model file is corrupt");
    }

    @Test
    void aWorkerJvmThatCannotStartStopsTheRunWithWhatItSaid() throws Exception {
        WorkerOptions bad = options(2, List.of(), Duration.ZERO, 0).withJvmOption("-XX:+NoSuchOptionForAstraTests");

        AstraException.WorkerStartFailed e = assertThrows(AstraException.WorkerStartFailed.class,
                () -> run(bad, new AllWork(dir, 3)));

        assertThat(e.getMessage()).contains("could not start").contains("NoSuchOptionForAstraTests")
                .contains("[worker] jvm_options");
        assertThat(ledger()).noneMatch(l -> l.startsWith("work"));
    }

    /** Waits, with a deadline, until the ledger has a line starting with {@code prefix}. */
    String awaitLine(String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            for (String line : ledger()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            assertThat(System.nanoTime()).as("no '" + prefix + "' in the ledger after 120 s").isLessThan(deadline);
            Thread.sleep(20); // a poll interval: this waits on the ledger, with the deadline above
        }
    }

}
