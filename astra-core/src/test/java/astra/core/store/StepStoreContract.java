package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A worker's step ({@link TaskStore#recordAndClaim}): tasks claimed ahead in one statement,
 * outcomes recorded together with their own times, and wide tasks (a wrapper over many leaves)
 * released without a row every leaf rewrites.
 */
public abstract class StepStoreContract extends StoreContract {

    private static final ClaimScope ALL = ClaimScope.ALL;

    private static List<String> ids(List<ClaimedTask> claimed) {
        return claimed.stream().map(ClaimedTask::taskId).toList();
    }

    @Test
    void aStepClaimsPlainTasksAheadOfTheSamePriorityOnlyInClaimOrder() {
        store.writePlan(run, plan().task("A1", 0, 5).task("A2", 0, 5).task("A3", 0, 5).task("Low", 0, 1).build());

        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(), 10);

        assertThat(ids(step.next())).containsExactly("A1");
        assertThat(ids(step.ahead())).containsExactly("A2", "A3");
        assertThat(store.task("A3").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.task("A3").orElseThrow().attempts()).isEqualTo(1);
        assertThat(store.task("Low").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.events("A2")).extracting(TaskEvent::message).contains("claimed (attempt 1, ahead)");
    }

    @Test
    void aStepClaimsAtMostWhatItIsAskedFor() {
        store.writePlan(run, plan().task("A1", 0).task("A2", 0).task("A3", 0).build());

        assertThat(ids(store.recordAndClaim(run, "w", ALL, List.of(), 1).ahead())).isEmpty();
        assertThat(ids(store.recordAndClaim(run, "w", ALL, List.of(), 2).ahead())).containsExactly("A3");
        assertThat(store.recordAndClaim(run, "w", ALL, List.of(), 0).next()).isEmpty();
    }

    /** A task released by the record of the step is claimed first when its priority is higher. */
    @Test
    void aTaskReleasedByTheStepWinsTheClaimOverTasksAlreadyReady() {
        store.writePlan(run, plan().task("First", 0, 2).task("Urgent", 1, 9).edge("Urgent", "First")
                .task("B1", 0, 1).task("B2", 0, 1).build());
        assertThat(ids(store.recordAndClaim(run, "w", ALL, List.of(), 1).next())).containsExactly("First");

        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(TaskStore.Finished.now("First")), 10);

        assertThat(step.recorded()).containsExactly("First");
        assertThat(ids(step.next())).containsExactly("Urgent");
        assertThat(ids(step.ahead())).as("ahead: the head's priority only").isEmpty();
    }

    @Test
    void tasksWithABatchKeyOrResourcesAreNeverClaimedAhead() {
        store.setResourceCapacities(Map.of("gpu", 1));
        // The plain ones first in claim order, so that the head is plain and may take others ahead.
        store.writePlan(run, plan().task("APlain", 0, 3).task("APlain2", 0, 3)
                .task("Gpu", 0, TaskPolicy.DEFAULT.withResources(Map.of("gpu", 1)).withPriority(3))
                .task("Batched", 0, TaskPolicy.DEFAULT.withBatch("k", 4).withPriority(3)).build());

        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(), 10);

        assertThat(ids(step.next())).containsExactly("APlain");
        assertThat(ids(step.ahead())).containsExactly("APlain2");
        assertThat(store.task("Gpu").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.task("Batched").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void recordedTasksKeepTheirOwnStartAndFinish() {
        store.writePlan(run, plan().task("A", 0).task("B", 0).build());
        store.recordAndClaim(run, "w", ALL, List.of(), 2);
        clock.advance(Duration.ofSeconds(10));
        long now = System.nanoTime();

        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(
                new TaskStore.Finished("A", Duration.ofSeconds(2), now - Duration.ofSeconds(3).toNanos()),
                new TaskStore.Finished("B", Duration.ofSeconds(1), now)), 0);

        assertThat(step.recorded()).containsExactly("A", "B");
        TaskRecord a = store.task("A").orElseThrow();
        TaskRecord b = store.task("B").orElseThrow();
        assertThat(Duration.between(a.startedAt(), a.finishedAt())).isEqualTo(Duration.ofSeconds(2));
        assertThat(Duration.between(a.finishedAt(), b.finishedAt())).isBetween(Duration.ofMillis(2_990), Duration.ofMillis(3_010));
        assertThat(b.finishedAt()).isBetween(clock.instant().minusMillis(10), clock.instant());
        assertThat(store.events("A")).filteredOn(e -> e.state() == TaskState.DONE).extracting(TaskEvent::at)
                .containsExactly(a.finishedAt());
    }

    @Test
    void aWorkerThatHoldsNoneOfWhatItRecordsClaimsNothing() {
        store.writePlan(run, plan().task("A", 0).task("B", 0).build());
        store.recordAndClaim(run, "w1", ALL, List.of(), 1);

        TaskStore.Step step = store.recordAndClaim(run, "w2", ALL, List.of(TaskStore.Finished.now("A")), 5);

        assertThat(step.recorded()).isEmpty();
        assertThat(step.next()).isEmpty();
        assertThat(store.task("A").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }

    /** Claimed ahead and never started (no start recorded): its worker's end does not count the attempt. */
    @Test
    void aTaskClaimedAheadThatNeverStartedGoesBackUncountedWhenItsWorkerIsGone() {
        store.writePlan(run, plan().withRetries(0).task("A", 0).task("B", 0).build());
        store.recordAndClaim(run, "w", ALL, List.of(), 2);

        assertThat(store.endClaimsOf("w", "worker died")).containsExactly("A", "B");

        assertThat(store.task("A").orElseThrow().state()).as("started at its claim").isEqualTo(TaskState.FAILED);
        TaskRecord b = store.task("B").orElseThrow();
        assertThat(b.state()).isEqualTo(TaskState.PENDING);
        assertThat(b.attempts()).isZero();
        assertThat(store.events("B")).extracting(TaskEvent::message).contains("released before it started: worker died");
    }

    /** Its worker reports a failure: the attempt counts, though no start was recorded at the claim. */
    @Test
    void aTaskClaimedAheadThatFailsCountsItsAttempt() {
        store.writePlan(run, plan().withRetries(0).task("A", 0).task("B", 0).build());
        store.recordAndClaim(run, "w", ALL, List.of(), 2);

        assertThat(store.markFailed("B", "w", "boom", null)).isTrue();

        assertThat(store.task("B").orElseThrow().state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void aWideTaskIsWrittenByNoLeafAndReleasedWhenTheLastIsDone() {
        int n = WideTasks.WIDE + 8;
        Plans graph = plan().task("Wrapper", n);
        List<String> leaves = IntStream.range(0, n).mapToObj(i -> String.format("Leaf%03d", i)).toList();
        leaves.forEach(leaf -> graph.task(leaf, 0).edge("Wrapper", leaf));
        store.writePlan(run, graph.build());
        TaskRecord planned = store.task("Wrapper").orElseThrow();

        List<TaskStore.Finished> done = new ArrayList<>();
        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(), n);
        for (int i = 0; i < n - 1; i++) {
            String leaf = i == 0 ? step.next().get(0).taskId() : step.ahead().get(i - 1).taskId();
            clock.advance(Duration.ofMillis(1));
            assertThat(store.recordAndClaim(run, "w", ALL, List.of(TaskStore.Finished.now(leaf)), 0).recorded())
                    .containsExactly(leaf);
        }

        assertThat(store.task("Wrapper").orElseThrow()).as("no leaf wrote the wrapper's row").isEqualTo(planned);
        String last = step.ahead().get(n - 2).taskId();
        TaskStore.Step final_ = store.recordAndClaim(run, "w", ALL, List.of(TaskStore.Finished.now(last)), 1);
        assertThat(ids(final_.next())).containsExactly("Wrapper");
        assertThat(store.hasWorkLeft(run)).isTrue();
        assertThat(store.recordAndClaim(run, "w", ALL, List.of(TaskStore.Finished.now("Wrapper")), 1).recorded())
                .containsExactly("Wrapper");
        assertThat(store.hasWorkLeft(run)).isFalse();
    }

    @Test
    void aWideTaskWaitsForARequirementThatFailed() {
        int n = WideTasks.WIDE + 1;
        Plans graph = plan().withRetries(0).task("Wrapper", n);
        IntStream.range(0, n).forEach(i -> graph.task("Leaf" + i, 0).edge("Wrapper", "Leaf" + i));
        store.writePlan(run, graph.build());
        TaskStore.Step step = store.recordAndClaim(run, "w", ALL, List.of(), n);
        List<ClaimedTask> all = new ArrayList<>(step.next());
        all.addAll(step.ahead());
        assertThat(all).hasSize(n);

        store.markFailed(all.get(0).taskId(), "w", "boom", null);
        List<TaskStore.Finished> rest = all.subList(1, n).stream().map(c -> TaskStore.Finished.now(c.taskId())).toList();
        TaskStore.Step last = store.recordAndClaim(run, "w", ALL, rest, 1);

        assertThat(last.next()).isEmpty();
        assertThat(store.task("Wrapper").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.hasWorkLeft(run)).isFalse();
    }

    /** A narrow task keeps its exact count, as each requirement finishes. */
    @Test
    void aNarrowTaskCountsDownAsEachRequirementFinishes() {
        store.writePlan(run, plan().task("Top", 2).task("L1", 0).task("L2", 0).edge("Top", "L1").edge("Top", "L2").build());
        store.recordAndClaim(run, "w", ALL, List.of(), 2);

        store.recordAndClaim(run, "w", ALL, List.of(TaskStore.Finished.now("L1")), 0);

        assertThat(store.task("Top").orElseThrow().unfinishedDeps()).isEqualTo(1);
    }
}
