package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.store.RunInfo;
import astra.core.store.TaskEvent;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import astra.plan.GraphPlanner;
import astra.plan.RetryPolicy;
import astra.scheduler.ConcurrentFixtures.Piece;
import astra.scheduler.ConcurrentFixtures.Root;
import astra.scheduler.ConcurrentFixtures.Shared;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPoolFactory;
import astra.worker.local.ProcessWorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code astra run}s at once over overlapping graphs, each with its own database handle and
 * its own pool of child worker processes: every shared task runs once. One subclass per database.
 */
abstract class ConcurrentSchedulersContract {

    private static final int LEAVES = 1_000;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    abstract DatabaseExtension db();

    @Test
    void twoRunsWithASharedSubgraphOfAThousandTasksRunEachOnce() throws Exception {
        Scheduler a = scheduler();
        Scheduler b = scheduler();
        CountDownLatch start = new CountDownLatch(1);

        CompletableFuture<ExecutionSummary> runA = runAsync(a, new Root(dir, "onlyA", LEAVES, 5, false), start);
        CompletableFuture<ExecutionSummary> runB = runAsync(b, new Root(dir, "onlyB", LEAVES, 5, false), start);
        start.countDown();
        ExecutionSummary summaryA = runA.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);
        ExecutionSummary summaryB = runB.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);

        assertThat(summaryA.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summaryB.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertEachPieceRanOnce(LEAVES + 10);
        assertThat(List.of(summaryA, summaryB)).as("one run reports the tasks the other ran")
                .anySatisfy(s -> {
                    assertThat(s.ranByAnotherRun()).isPositive();
                    assertThat(s.render()).contains("were run by another run:")
                            .containsPattern("run \\d+ \\(host .+, pid " + ProcessHandle.current().pid() + "\\): \\d+");
                });
        for (ExecutionSummary s : List.of(summaryA, summaryB)) {
            assertThat(s.ran() + s.ranByAnotherRun() + s.alreadyComplete()).isEqualTo(s.scheduled());
        }
    }

    @Test
    void aRunStoppedWhileAnotherWaitsForItsTasksHandsThemOver() throws Exception {
        int leaves = 50;
        Scheduler a = scheduler();
        Scheduler b = scheduler();
        CountDownLatch now = new CountDownLatch(0);
        Database look = db().open();
        // A's two workers each hold a gated leaf, so A cannot finish the shared part by itself.
        CompletableFuture<ExecutionSummary> runA = runAsync(a, new Root(dir, "onlyA", leaves, 0, true), now);
        awaitRunning(look, 2);
        CompletableFuture<ExecutionSummary> runB = runAsync(b, new Root(dir, "onlyB", leaves, 3, true), now);
        awaitLedger(l -> l.stream().filter(line -> line.startsWith("piece onlyB")).count() == 3);

        a.stop();
        ExecutionSummary summaryA = runA.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);
        Files.writeString(dir.resolve("go"), "");
        ExecutionSummary summaryB = runB.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);

        assertThat(summaryA.outcome()).isEqualTo(RunOutcome.INTERRUPTED);
        assertThat(summaryB.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertEachPieceRanOnce(leaves + 3);
        assertThat(summaryB.ran()).as("B ran all the pieces and wrappers").isEqualTo(leaves + 3 + 2);
        String leaf = Tasks.id(new Piece(dir, "leaf0010", true));
        assertThat(look.store().events(leaf)).extracting(TaskEvent::message)
                .contains("handed over from run " + summaryA.runId());
    }

    @Test
    void aRunOnAnotherHostWhoseWorkersWentSilentIsTakenForDeadAndItsTasksRunHere() throws Exception {
        // What a run killed on another host five minutes ago leaves: its plan, and a worker gone quiet.
        Database past = db().open(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        Shared shared = new Shared(dir, 1, false);
        long remote = past.store().startRun(new RunInfo(Tasks.id(shared), "another-host", 1, "remote"));
        past.store().writePlan(remote, GraphPlanner.serial(past.store(), RetryPolicy.NONE).plan(List.of(shared)));
        past.store().registerWorker(new WorkerRecord("remote-1", remote, "another-host", 1, null, 0, 1, null, 0, null,
                null));

        ExecutionSummary summary = new Scheduler(db().open(), SchedulerOptions.SERIAL,
                WorkerPoolFactory.threads(1, getClass().getClassLoader()))
                .run(List.of(new Root(dir, "here", 1, 0, false)), "test");

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertEachPieceRanOnce(1);
        assertThat(past.store().run(remote).orElseThrow().outcome()).isEqualTo("ABANDONED");
    }

    private Scheduler scheduler() {
        WorkerOptions options = new WorkerOptions(2, db().settings().withPoolSize(2), List.of(), jvm(), 0,
                WorkerOptions.Timeouts.of(Duration.ZERO), RetryPolicy.NONE);
        return new Scheduler(db().open(), SchedulerOptions.SERIAL, ProcessWorkerPool.factory(options));
    }

    private WorkerOptions.ChildJvm jvm() {
        return new WorkerOptions.ChildJvm(List.of("-Dastra.test.dir=" + dir, "-XX:TieredStopAtLevel=1", "-Xshare:auto"),
                List.of(), Map.of());
    }

    private static CompletableFuture<ExecutionSummary> runAsync(Scheduler scheduler, Root root, CountDownLatch start) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
                return scheduler.run(List.of(root), "astra run Root --name " + root.name());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable, "scheduler " + root.name()).start());
    }

    private void assertEachPieceRanOnce(int pieces) throws Exception {
        Map<String, Long> runs = ledger().stream().filter(l -> l.startsWith("piece "))
                .collect(Collectors.groupingBy(l -> l.substring(0, l.lastIndexOf(' ')), Collectors.counting()));
        assertThat(runs).hasSize(pieces);
        assertThat(runs.entrySet()).filteredOn(e -> e.getValue() != 1).as("pieces that ran more than once").isEmpty();
    }

    private List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** Waits, with a deadline, until {@code running} tasks are claimed. */
    private void awaitRunning(Database database, int running) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (database.store().unfinishedRuns().stream()
                .mapToLong(r -> database.store().tasksOfRun(r.runId()).stream()
                        .filter(t -> t.state() == astra.core.store.TaskState.RUNNING).count())
                .sum() < running) {
            assertThat(System.nanoTime()).as("no %d running tasks in time", running).isLessThan(deadline);
            Thread.sleep(50); // a poll interval, under the deadline above
        }
    }

    private void awaitLedger(Function<List<String>, Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.apply(ledger())) {
            assertThat(System.nanoTime()).as("the ledger never got there").isLessThan(deadline);
            Thread.sleep(50); // a poll interval, under the deadline above
        }
    }
}
