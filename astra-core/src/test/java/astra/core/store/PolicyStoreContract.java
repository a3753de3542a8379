package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue's scheduling policy, the same on every database: retry delays, resources,
 * stopping at the first failure, the run's history. One subclass per database.
 */
public abstract class PolicyStoreContract extends StoreContract {

    private final ExecutorService threads = Executors.newFixedThreadPool(6);

    @Override
    Instant start() {
        return Instant.parse("2026-03-04T05:06:07Z");
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static TaskPolicy uses(String resource, int amount) {
        return TaskPolicy.DEFAULT.withResources(Map.of(resource, amount));
    }

    @Test
    void aRetryWaitsForItsDelayBeforeItCanBeClaimed() {
        store.writePlan(run, plan().task("A", 0, TaskPolicy.DEFAULT.withRetries(1, Duration.ofSeconds(30))).build());
        store.claim(run, "w").orElseThrow();

        store.markFailed("A", "w", "flaky server", "detail");

        assertThat(store.events("A")).last().extracting(TaskEvent::message)
                .isEqualTo("failed, will retry in 30s (attempt 1 of 2): flaky server");
        assertThat(store.claim(run, "w")).as("within the delay").isEmpty();
        assertThat(store.hasWorkLeft(run)).as("the retry is still to come").isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(store.claim(run, "w")).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.claim(run, "w").orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void aTaskWaitsForRoomInTheResourcesItUses() {
        store.setResourceCapacities(Map.of("gpu", 1, "licence", 3));
        store.writePlan(run, plan()
                .task("G1", 0, uses("gpu", 1).withPriority(9))
                .task("G2", 0, uses("gpu", 1).withPriority(8))
                .task("L2", 0, uses("licence", 2).withPriority(7))
                .task("L2b", 0, uses("licence", 2).withPriority(6))
                .task("Free", 0, TaskPolicy.DEFAULT)
                .build());

        assertThat(store.claim(run, "w1").orElseThrow().taskId()).isEqualTo("G1");
        assertThat(store.claim(run, "w2").orElseThrow().taskId()).as("G2 waits for the gpu").isEqualTo("L2");
        assertThat(store.claim(run, "w3").orElseThrow().taskId()).as("L2b needs 2 of the 1 left").isEqualTo("Free");
        assertThat(store.claim(run, "w4")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isTrue();

        store.markDone("G1", "w1");
        assertThat(store.claim(run, "w4").orElseThrow().taskId()).isEqualTo("G2");
        store.markFailed("L2", "w2", "boom", null);
        assertThat(store.claim(run, "w5").orElseThrow().taskId()).as("a failure frees its resources").isEqualTo("L2b");
    }

    @Test
    void aResourceNobodyConfiguredHasOneUnitAndCapacitiesAreShared() {
        store.writePlan(run, plan().task("A", 0, uses("tape", 1)).task("B", 0, uses("tape", 1)).build());
        assertThat(store.resourceCapacities()).containsEntry("tape", 1);

        assertThat(store.claim(run, "w1")).isPresent();
        assertThat(store.claim(run, "w2")).isEmpty();

        store.setResourceCapacities(Map.of("tape", 2));
        assertThat(store.claim(run, "w2")).isPresent();
        assertThat(store.resourceCapacities()).containsEntry("tape", 2);
        assertThatThrownBy(() -> store.setResourceCapacities(Map.of("tape", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tape");
    }

    @Test
    void aResourceIsSharedByEveryRunOnTheDatabase() {
        store.setResourceCapacities(Map.of("gpu", 1));
        long other = store.startRun(new RunInfo("Other_1", "host", 43, "astra run Other"));
        store.writePlan(run, plan().task("Mine", 0, uses("gpu", 1)).build());
        store.writePlan(other, plan().task("Theirs", 0, uses("gpu", 1)).build());

        assertThat(store.claim(run, "w1")).isPresent();
        assertThat(store.claim(other, "w2")).isEmpty();
        store.markDone("Mine", "w1");
        assertThat(store.claim(other, "w2")).isPresent();
    }

    @Test
    void manyClaimersNeverRunTwoTasksOnAResourceOfOne() throws Exception {
        store.setResourceCapacities(Map.of("gpu", 1));
        Plans plan = plan();
        for (int i = 0; i < 40; i++) {
            plan.task(String.format("G%02d", i), 0, uses("gpu", 1));
        }
        for (int i = 0; i < 40; i++) {
            plan.task(String.format("F%02d", i), 0, TaskPolicy.DEFAULT);
        }
        store.writePlan(run, plan.build());
        Database second = db.open(db.settings().withPoolSize(3), Clock.systemUTC());
        AtomicInteger onGpu = new AtomicInteger();
        AtomicInteger mostOnGpu = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> claimers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            TaskStore s = (t % 2 == 0 ? database : second).store();
            String worker = "w" + t;
            claimers.add(threads.submit(() -> {
                start.await();
                int ran = 0;
                while (true) {
                    Optional<ClaimedTask> c = s.claim(run, worker);
                    if (c.isEmpty()) {
                        if (!s.hasWorkLeft(run)) {
                            return ran;
                        }
                        Thread.sleep(1);
                        continue;
                    }
                    boolean gpu = c.get().taskId().startsWith("G");
                    if (gpu) {
                        mostOnGpu.accumulateAndGet(onGpu.incrementAndGet(), Math::max);
                    }
                    Thread.sleep(1);
                    if (gpu) {
                        onGpu.decrementAndGet();
                    }
                    s.markDone(c.get().taskId(), worker);
                    ran++;
                }
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : claimers) {
            total += f.get(120, TimeUnit.SECONDS);
        }

        assertThat(total).isEqualTo(80);
        assertThat(mostOnGpu.get()).isEqualTo(1);
        assertThat(store.tasksOfRun(run)).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
    }

    @Test
    void aRunThatStopsAtItsFirstFailureStartsNothingAfterIt() {
        long strict = store.startRun(new RunInfo("Strict_1", "host", 44, "astra run Strict", false));
        store.writePlan(strict, plan().task("A", 0, 9).task("B", 0, 8).task("C", 0, 7).build());
        store.claim(strict, "w1").orElseThrow();
        store.claim(strict, "w2").orElseThrow();

        store.markFailed("A", "w1", "boom", null);

        assertThat(store.claim(strict, "w1")).isEmpty();
        assertThat(store.hasWorkLeft(strict)).as("B is still running").isTrue();
        store.markDone("B", "w2");
        assertThat(store.hasWorkLeft(strict)).isFalse();
        assertThat(store.task("C").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void aRunThatKeepsGoingRunsWhatDoesNotNeedTheFailure() {
        store.writePlan(run, plan().task("A", 0, 9).task("B", 0, 8).task("AfterA", 1).edge("AfterA", "A").build());
        store.claim(run, "w1").orElseThrow();
        store.markFailed("A", "w1", "boom", null);

        assertThat(store.claim(run, "w1").orElseThrow().taskId()).isEqualTo("B");
        store.markDone("B", "w1");
        assertThat(store.hasWorkLeft(run)).isFalse();
    }

    @Test
    void releaseClaimsOfGivesBackEveryTaskOfTheWorkerWithoutCountingAttempts() {
        store.writePlan(run, plan().task("A", 0, 9).task("B", 0, 8).task("C", 0, 7).build());
        store.claim(run, "w1").orElseThrow();
        store.claim(run, "w2").orElseThrow();
        store.claim(run, "w1").orElseThrow();

        assertThat(store.releaseClaimsOf("w1", "stopped by Ctrl-C")).containsExactly("A", "C");

        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::attempts)
                .containsExactly(TaskState.PENDING, 0);
        assertThat(store.task("B").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.events("C")).last().extracting(TaskEvent::worker, TaskEvent::message)
                .containsExactly("w1", "released: stopped by Ctrl-C");
    }

    @Test
    void theRunsHistoryHoldsEveryStateChangeInOrder() {
        store.writePlan(run, plan().task("A", 0, 9).task("B", 1).edge("B", "A").build());
        store.claim(run, "w1").orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        store.markDone("A", "w1");
        store.claim(run, "w1").orElseThrow();
        store.markDone("B", "w1");

        List<TaskEvent> history = store.eventsOfRun(run);

        assertThat(history).extracting(e -> e.taskId() + " " + e.state() + " " + e.message())
                .containsExactly("A PENDING planned", "B PENDING planned", "A RUNNING claimed (attempt 1)",
                        "A DONE done", "B RUNNING claimed (attempt 1)", "B DONE done");
        assertThat(history).allSatisfy(e -> assertThat(e.runId()).isEqualTo(run));
        assertThat(history).filteredOn(e -> e.state() != TaskState.PENDING)
                .allSatisfy(e -> assertThat(e.worker()).isEqualTo("w1"));
        assertThat(history.get(3).at()).isAfter(history.get(2).at());
    }

    @Test
    void requirementsFoundAtRunTimeRunAtLeastAtThePriorityOfTheTaskThatNeedsThem() {
        store.writePlan(run, plan().task("Urgent", 0, 10).task("Other", 0, 5).build());
        store.claim(run, "w").orElseThrow();

        store.suspend("Urgent", "w", run, plan().task("Found", 0, 0).task("Keen", 0, 20)
                .edge("Urgent", "Found").edge("Urgent", "Keen").build());

        assertThat(store.task("Found").orElseThrow().priority()).isEqualTo(10);
        assertThat(store.task("Keen").orElseThrow().priority()).isEqualTo(20);
        assertThat(store.claim(run, "w").orElseThrow().taskId()).isEqualTo("Keen");
        assertThat(store.claim(run, "w").orElseThrow().taskId()).as("before Other (5)").isEqualTo("Found");
    }
}
