package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.store.TaskEvent;
import astra.core.store.TaskState;
import astra.core.testing.DatabaseExtension;
import astra.plan.GraphPlanner;
import astra.plan.RetryPolicy;
import astra.scheduler.Fixtures.AlreadyThere;
import astra.scheduler.Fixtures.Classy;
import astra.scheduler.Fixtures.Counted;
import astra.scheduler.Fixtures.Diamond;
import astra.scheduler.Fixtures.Discovering;
import astra.scheduler.Fixtures.Group;
import astra.scheduler.Fixtures.Layered;
import astra.scheduler.Fixtures.Leaf;
import astra.scheduler.Fixtures.NeedsBroken;
import astra.scheduler.Fixtures.Reduce;
import astra.scheduler.Fixtures.Ring;
import astra.scheduler.SetCompleteFixtures.Shelf;
import astra.scheduler.SetCompleteFixtures.Shelved;
import astra.worker.WorkerPoolFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on a real database; one subclass per database. */
abstract class SchedulerContract {

    @TempDir
    Path dir;

    Database database;

    /** A fresh, empty database for each test (registered as an extension by the subclass). */
    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        Ledger.clear();
        Counted.CHECKS.set(0);
        Shelved.CALLS.set(0);
        Fixtures.Flaky.BROKEN.set(false);
        database = db().open();
    }

    ExecutionSummary run(int workers, boolean parallel, Task... roots) throws InterruptedException {
        Scheduler scheduler = new Scheduler(database, new SchedulerOptions(parallel, 4),
                WorkerPoolFactory.threads(workers, getClass().getClassLoader()));
        return scheduler.run(List.of(roots), "test");
    }

    @Test
    void runsADiamondOnceInDependencyOrder() throws Exception {
        ExecutionSummary summary = run(2, false, new Diamond("top", "none"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(4);
        List<String> runs = Ledger.runs();
        assertThat(runs).containsExactlyInAnyOrder("bottom", "left", "right", "top");
        assertThat(runs.get(0)).isEqualTo("bottom");
        assertThat(runs.get(3)).isEqualTo("top");
    }

    @Test
    void aSecondRunFindsEverythingCompleteAndRunsNothing() throws Exception {
        run(1, false, new Diamond("top", "none"));
        Ledger.clear();

        ExecutionSummary again = run(1, false, new Diamond("top", "none"));

        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(again.ran()).isZero();
        assertThat(again.alreadyComplete()).isEqualTo(1);
        assertThat(Ledger.runs()).isEmpty();
        assertThat(again.render()).contains("Nothing to do: " + Tasks.id(new Diamond("top", "none")) + " is already complete.");
    }

    @Test
    void aFailureInTheMiddleOfADiamondBlocksOnlyWhatNeedsIt() throws Exception {
        ExecutionSummary summary = run(2, false, new Diamond("top", "left"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(Ledger.runs()).contains("bottom", "left", "right").doesNotContain("top");
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.blocked()).isEqualTo(1);
        String leftId = Tasks.id(new Diamond("left", "left"));
        String topId = Tasks.id(new Diamond("top", "left"));
        assertThat(summary.render())
                .contains(leftId + ": IllegalStateException: left broke")
                .contains(topId + " (blocked by " + leftId + ")");
        assertThat(database.store().task(leftId).orElseThrow().state()).isEqualTo(TaskState.FAILED);
        assertThat(database.store().events(leftId)).extracting(TaskEvent::state)
                .containsSubsequence(TaskState.PENDING, TaskState.RUNNING, TaskState.FAILED);
    }

    @Test
    void aFailedTaskRunsAgainInTheNextRunAndWhatWasDoneIsNot() throws Exception {
        Fixtures.Flaky.BROKEN.set(true);
        assertThat(run(1, false, new Fixtures.Flaky("f")).outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(Ledger.runs()).containsExactly("f-input", "f");
        Ledger.clear();

        Fixtures.Flaky.BROKEN.set(false);
        ExecutionSummary again = run(1, false, new Fixtures.Flaky("f"));

        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactly("f");
    }

    @Test
    void aCycleIsASchedulingErrorNamingItsTasks() {
        AstraException.SchedulingError e = assertThrows(AstraException.SchedulingError.class,
                () -> run(1, false, new Ring(0, 3)));

        assertThat(e.getMessage()).contains("cycle")
                .contains(Tasks.id(new Ring(0, 3)))
                .contains(Tasks.id(new Ring(1, 3)))
                .contains(Tasks.id(new Ring(2, 3)));
        assertThat(Ledger.runs()).isEmpty();
    }

    @Test
    void theRequirementsOfACompleteTaskAreNotExpanded() throws Exception {
        ExecutionSummary summary = run(1, false, new AlreadyThere("x"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.alreadyComplete()).isEqualTo(1);
        assertThat(Ledger.runs()).isEmpty();
    }

    @Test
    void missingExternalDataBlocksItsDependentsAndIsNamed() throws Exception {
        Path frames = dir.resolve("frames.fits");
        ExecutionSummary summary = run(1, false, new Reduce(frames));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.MISSING_DATA);
        assertThat(summary.missingData()).isEqualTo(1);
        assertThat(summary.blocked()).isEqualTo(1);
        assertThat(summary.render()).contains(Tasks.id(new Fixtures.RawFrames(frames)));
        assertThat(Ledger.runs()).isEmpty();

        Files.writeString(frames, "data");
        assertThat(run(1, false, new Reduce(frames)).outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactly("reduce");
    }

    @Test
    void anExceptionInRequiresIsASchedulingErrorAndTheRestStillRuns() throws Exception {
        ExecutionSummary summary = run(1, false, new NeedsBroken("n"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SCHEDULING_ERROR);
        assertThat(summary.schedulingErrors()).isEqualTo(1);
        assertThat(summary.render()).contains("requires() threw IllegalStateException: cannot list requirements");
        assertThat(Ledger.runs()).containsExactly("n-leaf");
    }

    @Test
    void anExceptionInCompleteIsASchedulingErrorForThatTaskOnly() throws Exception {
        ExecutionSummary summary = run(1, true, new Fixtures.NeedsCannotTell("c"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SCHEDULING_ERROR);
        assertThat(summary.render()).contains("complete() threw IllegalStateException: catalogue offline")
                .contains("blocked by " + Tasks.id(new Fixtures.CannotTell("c-unknown")));
        assertThat(Ledger.runs()).containsExactly("c-leaf");
    }

    @Test
    void aWrapperIsCompleteWhenItsRequirementsAre() throws Exception {
        assertThat(run(2, false, new Group("g", 5)).ran()).isEqualTo(6);
        Ledger.clear();

        ExecutionSummary again = run(2, false, new Group("g", 5));

        assertThat(again.ran()).isZero();
        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
    }

    @Test
    void customCompleteIsCalledOncePerTaskSeriallyOrInParallel() throws Exception {
        List<Task> roots = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            roots.add(new Counted(i, 150));
        }
        ExecutionSummary serial = run(2, false, roots.toArray(Task[]::new));
        assertThat(Counted.CHECKS.get()).isEqualTo(200);
        assertThat(serial.alreadyComplete()).isEqualTo(150);
        assertThat(serial.ran()).isEqualTo(50);

        Counted.CHECKS.set(0);
        ExecutionSummary parallel = run(2, true, roots.toArray(Task[]::new));
        assertThat(Counted.CHECKS.get()).isEqualTo(200);
        assertThat(parallel.alreadyComplete()).isEqualTo(150);
        assertThat(parallel.ran()).isEqualTo(50);
    }

    @Test
    void aSetCompleteFamilyIsAskedOnceForItsTasksAndOnlyTheIncompleteOnesRun() throws Exception {
        Shelf.create(database.dsl());
        ExecutionSummary first = run(2, false, shelved("a", "b", "c"));

        assertThat(first.outcome()).as(first.render()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactlyInAnyOrder("shelved a", "shelved b", "shelved c");
        assertThat(Shelved.CALLS.get()).isEqualTo(1);

        Ledger.clear();
        Shelved.CALLS.set(0);
        ExecutionSummary again = run(2, true, shelved("a", "b", "c", "d", "e"));

        assertThat(again.outcome()).as(again.render()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(again.alreadyComplete()).isEqualTo(3);
        assertThat(Ledger.runs()).containsExactlyInAnyOrder("shelved d", "shelved e");
        assertThat(Shelved.CALLS.get()).isEqualTo(1);
    }

    @Test
    void aSetCompleteFamilyThatLeavesTasksUnansweredIsASchedulingErrorForThemOnly() throws Exception {
        ExecutionSummary summary = run(1, true, new SetCompleteFixtures.NeedsUnanswered("u"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SCHEDULING_ERROR);
        assertThat(summary.schedulingErrors()).isEqualTo(2);
        assertThat(summary.render()).contains(Tasks.id(new SetCompleteFixtures.Unanswered("u-x"))
                + ": completeEach() gave 0 answer(s) (asked about 2 task(s) of Unanswered at once)");
        assertThat(Ledger.runs()).containsExactly("u-leaf");
    }

    private static Task[] shelved(String... names) {
        return java.util.Arrays.stream(names).map(Shelved::new).toArray(Task[]::new);
    }

    @Test
    void thousandsOfTasksInLayersRunExactlyOnceEach() throws Exception {
        int width = 500;
        int layers = 6;
        List<Task> top = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            top.add(new Layered(layers - 1, i, width));
        }

        ExecutionSummary summary = run(4, false, top.toArray(Task[]::new));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(width * layers);
        assertThat(Ledger.runs()).hasSize(width * layers).doesNotHaveDuplicates();
        // Every task ran after both tasks it needs.
        List<String> order = Ledger.runs();
        for (int layer = 1; layer < layers; layer++) {
            for (int i = 0; i < width; i++) {
                int at = order.indexOf(layer + "/" + i);
                assertThat(order.indexOf((layer - 1) + "/" + i)).isLessThan(at);
                assertThat(order.indexOf((layer - 1) + "/" + ((i + 1) % width))).isLessThan(at);
            }
        }
    }

    @Test
    void dynamicRequirementsTwoLevelsDeepRunFirstThenTheTaskRunsAgain() throws Exception {
        ExecutionSummary summary = run(2, false, new Discovering(2, 0));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        List<String> runs = Ledger.runs();
        // 1 + 2 + 4 tasks; each with requirements starts twice and ends once.
        assertThat(runs.stream().filter(r -> r.startsWith("end"))).hasSize(7).doesNotHaveDuplicates();
        assertThat(runs.indexOf("end 1/0")).isLessThan(runs.indexOf("end 2/0"));
        assertThat(runs.indexOf("end 0/0")).isLessThan(runs.indexOf("end 1/0"));
        assertThat(runs.stream().filter("start 2/0"::equals)).hasSize(2);
        assertThat(database.store().task(Tasks.id(new Discovering(2, 0))).orElseThrow().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aClassTaskWithParamFieldsRunsAndIsRebuiltFromTheDatabase() throws Exception {
        ExecutionSummary summary = run(1, false, new Classy("a"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactly("classy a");
    }

    @Test
    void aDefaultCompleteTaskIsDoneAfterItRuns() throws Exception {
        Leaf leaf = new Leaf("once");
        run(1, false, leaf);
        assertThat(leaf.complete()).isTrue();
        assertThat(new Leaf("never").complete()).isFalse();
    }

    @Test
    void tasksLeftRunningByAKilledRunOnThisHostRunAgain() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        java.net.InetAddress local = java.net.InetAddress.getLocalHost();
        Diamond bottom = new Diamond("bottom", "none");
        GraphPlanner planner = GraphPlanner.serial(database.store(), RetryPolicy.NONE);
        // What a killed run leaves behind: its plan written and a task claimed, never finished.
        long dead = database.store().startRun(new astra.core.store.RunInfo(Tasks.id(bottom), local.getHostName(), gone.pid(), "killed"));
        database.store().writePlan(dead, planner.plan(List.of(bottom)));
        assertThat(database.store().claim(dead, "dead-worker")).isPresent();
        long elsewhere = database.store().startRun(new astra.core.store.RunInfo("x", "another-host", gone.pid(), "remote"));

        ExecutionSummary summary = run(1, false, new Diamond("top", "none"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactlyInAnyOrder("bottom", "left", "right", "top");
        assertThat(database.store().events(Tasks.id(bottom))).extracting(TaskEvent::message)
                .anyMatch(m -> m != null && m.startsWith("released: run " + dead));
        assertThat(database.store().unfinishedRuns()).extracting(astra.core.store.RunRecord::runId).containsExactly(elsewhere);
    }

    @Test
    void aClaimWhoseWorkerWentSilentOnAnotherHostIsGivenBackAndRunAgain() throws Exception {
        java.time.Instant fiveMinutesAgo = java.time.Instant.now().minus(java.time.Duration.ofMinutes(5));
        Database past = db().open(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(-5)));
        Diamond bottom = new Diamond("bottom", "none");
        GraphPlanner planner = GraphPlanner.serial(past.store(), RetryPolicy.NONE);
        long remote = past.store().startRun(new astra.core.store.RunInfo(Tasks.id(bottom), "another-host", 1, "remote"));
        past.store().writePlan(remote, planner.plan(List.of(bottom)));
        // A worker of a run on another host, silent since: its host lost power with the run's scheduler.
        past.store().registerWorker(new astra.core.store.WorkerRecord("remote-worker", remote, "another-host", 1,
                fiveMinutesAgo, 0, 1, 1, fiveMinutesAgo, 0, null, null));
        assertThat(past.store().claim(remote, "remote-worker")).isPresent();

        ExecutionSummary summary = run(1, false, new Diamond("top", "none"));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactlyInAnyOrder("bottom", "left", "right", "top");
        assertThat(database.store().events(Tasks.id(bottom))).extracting(TaskEvent::message)
                .anyMatch(m -> m != null && m.contains("no heartbeat"));
    }

    @Test
    void aRequirementFoundAtRunTimeThatFailsFailsTheRun() throws Exception {
        ExecutionSummary summary = run(1, false, new Fixtures.NeedsAtRunTime("p", "kid", true));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.render()).contains("kid broke").contains("(blocked by Node_kid_")
                .as("the task found at run time is counted with those scheduled")
                .contains("Scheduled 2 task(s) of which:");
        assertThat(Ledger.runs()).containsExactly("start p", "kid");
    }

    @Test
    void aRequirementFoundAtRunTimeLeftPendingByAnEarlierRunRunsInThisOne() throws Exception {
        Fixtures.Node kid = new Fixtures.Node("kid", List.of(), false);
        GraphPlanner planner = GraphPlanner.serial(database.store(), RetryPolicy.NONE);
        long earlier = database.store().startRun(new astra.core.store.RunInfo("x", "h", 1, "earlier"));
        database.store().writePlan(earlier, planner.plan(List.of(kid)));
        database.store().finishRun(earlier, "INTERRUPTED");

        ExecutionSummary summary = run(1, false, new Fixtures.NeedsAtRunTime("p", "kid", false));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Ledger.runs()).containsExactly("start p", "kid", "start p", "end p");
    }
}
