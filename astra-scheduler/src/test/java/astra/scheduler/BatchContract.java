package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.Tasks;
import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.plan.RetryPolicy;
import astra.scheduler.BatchFixtures.Coadd;
import astra.scheduler.BatchFixtures.Spectra;
import astra.scheduler.BatchFixtures.Spectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Batch tasks run by real child processes: members claimed together and run in one call, each
 * recorded on its own. One subclass per database. What the children did is read from the
 * ledger file ("what pid" per line).
 */
abstract class BatchContract extends ChildProcessContract {

    ExecutionSummary run(int retries, Task root) throws InterruptedException {
        return run(children(2, RetryPolicy.of(retries)), SchedulerOptions.SERIAL, root);
    }

    /** What the children noted, without the pids. */
    List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file).stream()
                .map(line -> line.substring(0, line.lastIndexOf(' '))).toList() : List.of();
    }

    List<Integer> batchSizes() throws Exception {
        return ledger().stream().filter(l -> l.startsWith("batch ")).map(l -> Integer.parseInt(l.substring(6))).toList();
    }

    /** Every member noted as fitted, once per time it was. */
    List<String> fitted() throws Exception {
        return ledger().stream().filter(l -> l.startsWith("member "))
                .flatMap(l -> Arrays.stream(l.split(","))).toList();
    }

    TaskRecord row(Task task) {
        return database.store().task(Tasks.id(task)).orElseThrow();
    }

    @Test
    void aThousandBatchTasksRunInAboutTenCallsAndEachIsDoneOnce() throws Exception {
        ExecutionSummary summary = run(0, new Spectra(dir, 1000, "none", List.of()));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).as("the spectra and their wrapper").isEqualTo(1001);
        assertThat(fitted()).hasSize(1000).doesNotHaveDuplicates();
        List<Integer> sizes = batchSizes();
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        assertThat(sizes).allSatisfy(k -> assertThat(k).isBetween(1, 100));
        // Ten full batches, unless two workers claiming at once split one.
        assertThat(sizes.size()).isBetween(10, 20);
        Map<String, List<TaskEvent>> history = database.store().eventsOfRun(summary.runId()).stream()
                .collect(Collectors.groupingBy(TaskEvent::taskId));
        for (int i = 0; i < 1000; i++) {
            Spectrum s = new Spectrum(dir, i, "none");
            assertThat(row(s).state()).isEqualTo(TaskState.DONE);
            List<TaskEvent> events = history.get(Tasks.id(s));
            assertThat(events).extracting(TaskEvent::state)
                    .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
            // a batch of one (two workers claiming at once may leave one) is claimed as a plain task
            assertThat(events.get(1).message()).matches("claimed \\(attempt 1(, batch of \\d+)?\\)");
        }
    }

    @Test
    void aMemberFailedByItsBatchFailsAloneIsRetriedAloneAndBlocksOnlyItsDependents() throws Exception {
        ExecutionSummary summary = run(1, new Spectra(dir, 20, "7", List.of(7, 8)));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.failed()).isEqualTo(1);
        Spectrum seven = new Spectrum(dir, 7, "7");
        assertThat(row(seven)).extracting(TaskRecord::state, TaskRecord::error, TaskRecord::attempts)
                .containsExactly(TaskState.FAILED, "spectrum 7 has no flux", 2);
        List<String> history = database.store().events(Tasks.id(seven)).stream().map(TaskEvent::message).toList();
        assertThat(history.get(1)).startsWith("claimed (attempt 1, batch of ");
        assertThat(history.subList(2, history.size())).containsExactly(
                "failed, will retry (attempt 1 of 2): spectrum 7 has no flux",
                "claimed (attempt 2)",
                "spectrum 7 has no flux");
        assertThat(row(new Coadd(dir, 7, "7")).state()).as("blocked").isEqualTo(TaskState.PENDING);
        assertThat(summary.render()).contains(Tasks.id(new Coadd(dir, 7, "7")) + " (blocked by " + Tasks.id(seven) + ")");
        assertThat(row(new Coadd(dir, 8, "7")).state()).isEqualTo(TaskState.DONE);
        for (int i = 0; i < 20; i++) {
            if (i != 7) {
                assertThat(row(new Spectrum(dir, i, "7")).state()).as("spectrum " + i).isEqualTo(TaskState.DONE);
            }
        }
        assertThat(fitted()).hasSize(19).doesNotHaveDuplicates().doesNotContain("member 7");
        assertThat(ledger()).contains("coadd 8").doesNotContain("coadd 7");
    }

    @Test
    void aBatchThatThrowsFailsEveryMember() throws Exception {
        ExecutionSummary summary = run(0, new Spectra(dir, 20, "throw", List.of()));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.failed()).isEqualTo(20);
        List<TaskRecord> spectra = IntStream.range(0, 20).mapToObj(i -> row(new Spectrum(dir, i, "throw"))).toList();
        assertThat(spectra).allSatisfy(t -> assertThat(t).extracting(TaskRecord::state, TaskRecord::error)
                .containsExactly(TaskState.FAILED, "IllegalStateException: the model diverged"));
        assertThat(batchSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    }

    @Test
    void aBatchThatEndsItsProcessFailsEveryMemberItHeld() throws Exception {
        ExecutionSummary summary = run(0, new Spectra(dir, 20, "exit", List.of()));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(summary.failed()).isEqualTo(20);
        Map<String, TaskRecord> rows = database.store().tasksOfRun(summary.runId()).stream()
                .collect(Collectors.toMap(TaskRecord::taskId, Function.identity()));
        for (int i = 0; i < 20; i++) {
            assertThat(rows.get(Tasks.id(new Spectrum(dir, i, "exit")))).extracting(TaskRecord::state, TaskRecord::error)
                    .containsExactly(TaskState.FAILED, "the task ended its worker process (System.exit?) while running");
        }
    }

    @Test
    void aBatchFamilyWithResourcesOrABadBatchSizeCannotBeScheduledAndSaysWhy() throws Exception {
        ExecutionSummary summary = run(0, new BatchFixtures.Misdeclarations(dir));

        assertThat(summary.schedulingErrors()).isEqualTo(2);
        assertThat(summary.render())
                .contains(Tasks.id(new BatchFixtures.Misdeclared(dir, 1, true, 10)) + ": IllegalArgumentException: it is"
                        + " a batch task and uses resources {gpu=1}: resources are not supported on batchable families")
                .contains(Tasks.id(new BatchFixtures.Misdeclared(dir, 2, false, 0))
                        + ": IllegalArgumentException: batchSize() must be at least 1, got 0");
        assertThat(row(new Spectrum(dir, 1, "none")).state()).isEqualTo(TaskState.DONE);
        assertThat(ledger()).noneMatch(l -> l.startsWith("misdeclared"));
    }
}
