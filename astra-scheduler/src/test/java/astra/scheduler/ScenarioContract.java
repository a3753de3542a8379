package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.Tasks;
import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.WorkerRecord;
import astra.plan.RetryPolicy;
import astra.scheduler.ScenarioFixtures.Catalogue;
import astra.scheduler.ScenarioFixtures.Download;
import astra.scheduler.ScenarioFixtures.Facet;
import astra.scheduler.ScenarioFixtures.Fetch;
import astra.scheduler.ScenarioFixtures.FlakyOnce;
import astra.scheduler.ScenarioFixtures.Frames;
import astra.scheduler.ScenarioFixtures.Night;
import astra.scheduler.ScenarioFixtures.Reduction;
import astra.scheduler.ScenarioFixtures.Sideline;
import astra.scheduler.ScenarioFixtures.Survey;
import astra.worker.local.ProcessFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Whole runs on real child worker processes, as a user meets them: failures in a graph,
 * retries, requirements found at run time, missing external data, and the history each task
 * leaves. One subclass per database. What the children did is read from the ledger file that
 * {@link ProcessFixtures#note} appends to ("event pid" per line).
 */
abstract class ScenarioContract extends ChildProcessContract {

    ExecutionSummary run(int workers, int retries, Task root) throws InterruptedException {
        return run(children(workers, RetryPolicy.of(retries)), SchedulerOptions.SERIAL, root);
    }

    /** The ledger's lines, each split into what happened and the pid of the process it happened in. */
    List<Noted> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file).stream().map(Noted::of).toList() : List.of();
    }

    List<String> happenings() throws Exception {
        return ledger().stream().map(Noted::what).toList();
    }

    record Noted(String what, long pid) {
        static Noted of(String line) {
            int space = line.lastIndexOf(' ');
            return new Noted(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
    }

    /** The events' messages; a claim ahead (a worker's step may take short tasks ahead) reads as any claim. */
    static List<String> messages(List<TaskEvent> events) {
        return events.stream().map(TaskEvent::message).map(m -> m == null ? null : m.replace(", ahead)", ")")).toList();
    }

    TaskRecord row(Task task) {
        return database.store().task(Tasks.id(task)).orElseThrow();
    }

    @Test
    void aFailureInTheMiddleOfADiamondBlocksWhatNeedsItAndTheRestRuns() throws Exception {
        Survey root = new Survey(dir, "left");
        Facet top = new Facet(dir, "top", "left");
        Facet left = new Facet(dir, "left", "left");
        String topId = Tasks.id(top);
        String leftId = Tasks.id(left);

        ExecutionSummary summary = run(3, 0, root);
        System.out.println(summary.render());

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.ran()).isEqualTo(3);
        assertThat(summary.blocked()).isEqualTo(2);
        assertThat(row(left).state()).isEqualTo(TaskState.FAILED);
        assertThat(row(left).error()).isEqualTo("IllegalStateException: left has no calibration frames");
        assertThat(summary.render())
                .contains("* 1 failed:\n    - " + leftId + ": IllegalStateException: left has no calibration frames")
                .contains(topId + " (blocked by " + leftId + ")")
                .contains(Tasks.id(root) + " (blocked by " + leftId + ")")
                .contains("This run failed: 1 task(s) failed.");
        // Top was never claimed, let alone run: blocked, not failed.
        assertThat(happenings()).containsExactlyInAnyOrder("bottom", "left", "right", "sideline");
        assertThat(row(top).state()).isEqualTo(TaskState.PENDING);
        assertThat(database.store().events(topId)).extracting(TaskEvent::state).containsOnly(TaskState.PENDING);
        for (Task done : List.of(new Facet(dir, "bottom", "left"), new Facet(dir, "right", "left"), new Sideline(dir))) {
            assertThat(row(done).state()).as(Tasks.id(done)).isEqualTo(TaskState.DONE);
        }
        long parent = ProcessHandle.current().pid();
        assertThat(ledger()).allSatisfy(n -> assertThat(n.pid()).isNotEqualTo(parent));
    }

    @Test
    void aTaskThatFailsOnceSucceedsOnItsRetryAndItsHistoryTellsBothAttempts() throws Exception {
        FlakyOnce flaky = new FlakyOnce(dir);

        ExecutionSummary summary = run(2, 1, flaky);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(1);
        List<TaskEvent> events = database.store().events(Tasks.id(flaky));
        assertThat(messages(events)).containsExactly(
                "planned",
                "claimed (attempt 1)",
                "failed, will retry (attempt 1 of 2): IllegalStateException: archive server reset the connection",
                "claimed (attempt 2)",
                "done");
        assertThat(events).extracting(TaskEvent::state).containsExactly(
                TaskState.PENDING, TaskState.RUNNING, TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
        assertThat(row(flaky).attempts()).isEqualTo(2);
        assertThat(row(flaky).error()).isNull();

        // Each attempt ran in a child process, the one of the worker that claimed it.
        List<Noted> attempts = ledger();
        assertThat(attempts).extracting(Noted::what).containsExactly("flaky attempt 1", "flaky attempt 2");
        Map<String, Long> pidOfWorker = database.store().workers(summary.runId()).stream()
                .collect(Collectors.toMap(WorkerRecord::workerId, WorkerRecord::pid));
        long parent = ProcessHandle.current().pid();
        assertThat(attempts).allSatisfy(n -> assertThat(n.pid()).isNotEqualTo(parent));
        assertThat(pidOfWorker.get(events.get(1).worker())).isEqualTo(attempts.get(0).pid());
        assertThat(pidOfWorker.get(events.get(3).worker())).isEqualTo(attempts.get(1).pid());
    }

    @Test
    void requirementsFoundAtRunTimeTwoLevelsDeepRunFirstAndEachTaskCompletesOnce() throws Exception {
        Files.writeString(dir.resolve("catalogue.txt"), "m31\nm33\nngc253\n");
        Catalogue catalogue = new Catalogue(dir);
        List<String> names = List.of("m31", "m33", "ngc253");

        ExecutionSummary summary = run(3, 0, catalogue);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(1 + 2 * names.size());
        List<String> ledger = happenings();
        assertThat(ledger.stream().filter("catalogue start"::equals)).hasSize(2);
        assertThat(ledger.stream().filter("catalogue end"::equals)).hasSize(1);
        int catalogueRestart = ledger.lastIndexOf("catalogue start");
        for (String name : names) {
            assertThat(ledger.stream().filter(("fetch " + name + " start")::equals)).hasSize(2);
            assertThat(ledger.stream().filter(("fetch " + name + " end")::equals)).hasSize(1);
            assertThat(ledger.stream().filter(("download " + name)::equals)).hasSize(1);
            // The download ran between the two starts of its fetch, and the fetch ended before the catalogue started again.
            int download = ledger.indexOf("download " + name);
            assertThat(ledger.indexOf("fetch " + name + " start")).isLessThan(download);
            assertThat(ledger.lastIndexOf("fetch " + name + " start")).isGreaterThan(download);
            assertThat(ledger.indexOf("fetch " + name + " end")).isLessThan(catalogueRestart);
            assertThat(row(new Fetch(dir, name)).state()).isEqualTo(TaskState.DONE);
            assertThat(row(new Download(dir, name)).state()).isEqualTo(TaskState.DONE);

            assertThat(messages(database.store().events(Tasks.id(new Fetch(dir, name))))).containsExactly(
                    "planned", "claimed (attempt 1)", "suspended: waiting for 1 new requirement(s)",
                    "claimed (attempt 1)", "done");
            assertThat(messages(database.store().events(Tasks.id(new Download(dir, name)))))
                    .containsExactly("planned", "claimed (attempt 1)", "done");
        }
        assertThat(messages(database.store().events(Tasks.id(catalogue)))).containsExactly(
                "planned", "claimed (attempt 1)", "suspended: waiting for 3 new requirement(s)",
                "claimed (attempt 1)", "done");

        ExecutionSummary again = run(3, 0, catalogue);

        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(again.ran()).isZero();
        assertThat(again.render()).contains("Nothing to do: " + Tasks.id(catalogue) + " is already complete.");
        assertThat(happenings()).isEqualTo(ledger);
    }

    @Test
    void missingExternalDataBlocksWhatNeedsItAndTheRestRunsThenTheNextRunFinishes() throws Exception {
        Path framesFile = dir.resolve("frames.fits");
        Night night = new Night(dir, framesFile);
        String framesId = Tasks.id(new Frames(framesFile));
        String reductionId = Tasks.id(new Reduction(dir, framesFile));

        ExecutionSummary summary = run(2, 0, night);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.MISSING_DATA);
        assertThat(summary.missingData()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
        assertThat(summary.ran()).isEqualTo(1);
        assertThat(summary.blocked()).isEqualTo(2);
        assertThat(summary.render())
                .contains("* 1 are external data that is missing:\n    - " + framesId + "\n")
                .contains(reductionId + " (blocked by " + framesId + ")")
                .contains(Tasks.id(night) + " (blocked by " + framesId + ")")
                .contains("This run could not finish: external data is missing.");
        assertThat(happenings()).containsExactly("sideline");
        assertThat(database.store().task(framesId).orElseThrow().state()).isEqualTo(TaskState.MISSING);
        assertThat(database.store().events(framesId)).extracting(TaskEvent::state).containsOnly(TaskState.MISSING);

        Files.writeString(framesFile, "photons");
        ExecutionSummary again = run(2, 0, night);

        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(again.ran()).isEqualTo(2);
        assertThat(happenings()).containsExactly("sideline", "reduction");
        assertThat(row(night).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void everyTaskLeavesAHistoryInTimeOrderNamingItsWorker() throws Exception {
        Survey root = new Survey(dir, "none");

        ExecutionSummary summary = run(2, 0, root);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        List<TaskRecord> tasks = database.store().tasksOfRun(summary.runId());
        assertThat(tasks).hasSize(6);
        Map<String, WorkerRecord> workers = database.store().workers(summary.runId()).stream()
                .collect(Collectors.toMap(WorkerRecord::workerId, Function.identity()));
        Map<String, List<TaskEvent>> history = tasks.stream()
                .collect(Collectors.toMap(TaskRecord::taskId, t -> database.store().events(t.taskId())));
        for (TaskRecord task : tasks) {
            List<TaskEvent> events = history.get(task.taskId());
            assertThat(events).as(task.taskId()).extracting(TaskEvent::state)
                    .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
            assertThat(messages(events)).containsExactly("planned", "claimed (attempt 1)", "done");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.taskId()).isEqualTo(task.taskId());
                assertThat(e.runId()).isEqualTo(summary.runId());
                assertThat(e.at()).isNotNull();
            });
            assertThat(events).extracting(TaskEvent::at).isSorted();
            assertThat(events.get(0).worker()).isNull();
            // The worker that claimed it finished it, and is a child of this run.
            assertThat(events.get(1).worker()).isNotNull().isEqualTo(events.get(2).worker()).isIn(workers.keySet());
            assertThat(events.get(1).worker()).isEqualTo(task.worker());
            assertThat(workers.get(events.get(1).worker()).pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
        // A task was claimed only after every task it needs was done.
        for (Facet f : List.of(new Facet(dir, "top", "none"), new Facet(dir, "left", "none"), new Facet(dir, "right", "none"))) {
            java.time.Instant claimed = history.get(Tasks.id(f)).get(1).at();
            for (Facet needed : f.requires()) {
                assertThat(history.get(Tasks.id(needed)).get(2).at()).isBeforeOrEqualTo(claimed);
            }
        }
    }

    @Test
    void missingExternalDataFoundAtRunTimeIsNamedAndTheRunIsNotTakenForStopped() throws Exception {
        Path framesFile = dir.resolve("frames.fits");
        ScenarioFixtures.Calibration calibration = new ScenarioFixtures.Calibration(dir, framesFile);
        String framesId = Tasks.id(new Frames(framesFile));

        ExecutionSummary summary = run(2, 0, calibration);

        assertThat(summary.outcome()).isEqualTo(RunOutcome.MISSING_DATA);
        assertThat(summary.missingData()).isEqualTo(1);
        // The edge to the frames was found at run time: the summary reads it from the store and
        // reports the calibration blocked by the frames.
        assertThat(summary.notStarted()).isZero();
        assertThat(summary.blocked()).isEqualTo(1);
        assertThat(summary.render())
                .contains("* 1 are external data that is missing:\n    - " + framesId + "\n")
                .contains(Tasks.id(calibration) + " (blocked by " + framesId + ")")
                .contains("This run could not finish: external data is missing.")
                .doesNotContain("stopped");
        assertThat(database.store().events(Tasks.id(calibration))).extracting(TaskEvent::message)
                .contains("suspended: waiting for 1 new requirement(s)");
        assertThat(happenings()).containsExactly("calibration start");

        Files.writeString(framesFile, "photons");
        ExecutionSummary again = run(2, 0, calibration);

        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(happenings()).containsExactly("calibration start", "calibration start", "calibration end");
    }
}
