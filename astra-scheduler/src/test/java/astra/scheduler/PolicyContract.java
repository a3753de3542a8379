package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Tasks;
import astra.core.config.Config;
import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.plan.RetryPolicy;
import astra.scheduler.PolicyFixtures.GpuSurvey;
import astra.scheduler.PolicyFixtures.Greedy;
import astra.scheduler.PolicyFixtures.Strict;
import astra.scheduler.PolicyFixtures.Triage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduling policy on real child processes: resources, priorities, stopping at the first
 * failure, retries configured per family. One subclass per database.
 */
abstract class PolicyContract extends ChildProcessContract {


    List<String> ledger() throws Exception {
        Path file = dir.resolve("ledger");
        return Files.exists(file) ? Files.readAllLines(file).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList()
                : List.of();
    }

    @Test
    void aResourceOfOneIsNeverUsedByTwoTasksAtOnceAsTheHistoryShows() throws Exception {
        ExecutionSummary summary = run(children(4, RetryPolicy.NONE),
                SchedulerOptions.SERIAL.withResources(Map.of("gpu", 1)), new GpuSurvey(dir, 20));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(summary.ran()).isEqualTo(41);
        assertThat(ledger()).filteredOn(l -> l.startsWith("gpu")).hasSize(20);
        // From the history, in the order it was recorded (event ids): a GPU task's claim is
        // recorded under the resource's row lock after it saw the previous GPU task done, so the
        // GPU tasks' events must alternate claimed, done, claimed, done. (Event times come from
        // each worker's clock when its transaction began, so they cannot prove this on a busy host.)
        List<TaskEvent> history = database.store().eventsOfRun(summary.runId());
        List<TaskEvent> gpu = history.stream()
                .filter(e -> e.taskId().startsWith("OnGpu") && e.state() != TaskState.PENDING).toList();
        assertThat(gpu).hasSize(40);
        String holder = null;
        for (TaskEvent e : gpu) {
            if (e.state() == TaskState.RUNNING) {
                assertThat(holder).as("%s claimed while %s held the GPU", e.taskId(), holder).isNull();
                holder = e.taskId();
            } else {
                assertThat(e.state()).isEqualTo(TaskState.DONE);
                assertThat(e.taskId()).isEqualTo(holder);
                holder = null;
            }
        }
        // The other tasks did run beside them: more than one worker was busy.
        assertThat(history.stream().filter(e -> e.state() == TaskState.RUNNING).map(TaskEvent::worker).distinct())
                .hasSizeGreaterThan(1);
    }

    @Test
    void aTaskNeedingMoreOfAResourceThanExistsCannotBeScheduled() throws Exception {
        ExecutionSummary summary = run(children(1, RetryPolicy.NONE),
                SchedulerOptions.SERIAL.withResources(Map.of("gpu", 1)), new Greedy(dir));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SCHEDULING_ERROR);
        assertThat(summary.render()).contains("it needs 2 of resource 'gpu' but there are only 1 ([resources] gpu = 1)");
        assertThat(ledger()).isEmpty();
    }

    @Test
    void higherPrioritiesRunFirstAndARequirementInheritsItsDependentsPriority() throws Exception {
        ExecutionSummary summary = run(children(1, RetryPolicy.NONE), SchedulerOptions.SERIAL, new Triage(dir));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(ledger()).containsExactly("prep", "urgent", "routine", "someday");
        TaskRecord prep = database.store().task(Tasks.id(new PolicyFixtures.Prep(dir))).orElseThrow();
        assertThat(prep.priority()).isEqualTo(10);
    }

    @Test
    void keepGoingFalseStartsNoTaskAfterTheFirstFailure() throws Exception {
        ExecutionSummary summary = run(children(1, RetryPolicy.NONE), SchedulerOptions.SERIAL.withKeepGoing(false),
                new Strict(dir, 5));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(ledger()).containsExactly("step 0");
        assertThat(summary.render()).contains("* 4 were not started: [core] keep_going = false stops a run at its first failure");
    }

    @Test
    void byDefaultARunKeepsGoingAfterAFailure() throws Exception {
        ExecutionSummary summary = run(children(1, RetryPolicy.NONE), SchedulerOptions.SERIAL, new Strict(dir, 5));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(ledger()).containsExactly("step 0", "step 1", "step 2", "step 3", "step 4");
    }

    @Test
    void aFamilysOwnRetryPolicyFromTheConfigWinsAndEachAttemptWaitsItsDelay() throws Exception {
        Config config = Config.parse("""
                [scheduler]
                retry_count = 0

                [scheduler.Step]
                retry_count = 2
                retry_delay = 300ms
                """, "utah.cfg");
        RetryPolicy retry = RetryPolicy.from(config);

        ExecutionSummary summary = run(children(2, retry), SchedulerOptions.SERIAL, new Strict(dir, 2));

        assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(ledger()).filteredOn(l -> l.equals("step 0")).hasSize(3);
        String failing = Tasks.id(new PolicyFixtures.Step(dir, 0, 2));
        List<TaskEvent> events = database.store().events(failing);
        assertThat(events).extracting(TaskEvent::message).containsExactly("planned",
                "claimed (attempt 1)", "failed, will retry in 0.3s (attempt 1 of 3): IllegalStateException: step 0 broke",
                "claimed (attempt 2)", "failed, will retry in 0.3s (attempt 2 of 3): IllegalStateException: step 0 broke",
                "claimed (attempt 3)", "IllegalStateException: step 0 broke");
        for (int attempt = 1; attempt <= 2; attempt++) {
            Instant failed = events.get(2 * attempt).at();
            Instant next = events.get(2 * attempt + 1).at();
            assertThat(Duration.between(failed, next)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }
}
