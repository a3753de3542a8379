package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import astra.core.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batches in the queue, the same on every database: a batch claim takes ready companions with
 * the head's key, and each member is recorded on its own. One subclass per database.
 */
public abstract class BatchStoreContract extends StoreContract {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @Override
    Instant start() {
        return Instant.parse("2026-03-04T05:06:07Z");
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static TaskPolicy batch(String key, int size) {
        return TaskPolicy.DEFAULT.withBatch(key, size);
    }

    private static List<String> ids(List<ClaimedTask> claimed) {
        return claimed.stream().map(ClaimedTask::taskId).toList();
    }

    @Test
    void aBatchClaimTakesUpToItsSizeOfReadyTasksWithTheSameKeyOnly() {
        store.writePlan(run, plan()
                .task("A1", 0, batch("k", 3).withPriority(5))
                .task("A2", 0, batch("k", 3)).task("A3", 0, batch("k", 3)).task("A4", 0, batch("k", 3))
                .task("A5", 0, batch("k", 3))
                .task("B1", 0, batch("other", 3)).task("B2", 0, batch("other", 3))
                .task("C1", 0, TaskPolicy.DEFAULT).task("C2", 0, TaskPolicy.DEFAULT)
                .build());

        List<ClaimedTask> first = store.claimBatch(run, "w1");

        assertThat(ids(first)).containsExactly("A1", "A2", "A3");
        assertThat(first).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(1));
        assertThat(store.events("A2")).last().extracting(TaskEvent::state, TaskEvent::worker, TaskEvent::message)
                .containsExactly(TaskState.RUNNING, "w1", "claimed (attempt 1, batch of 3)");
        assertThat(store.claimedBy("w1")).containsExactly("A1", "A2", "A3");
        List<String> rest = new ArrayList<>();
        for (List<ClaimedTask> next = store.claimBatch(run, "w2"); !next.isEmpty(); next = store.claimBatch(run, "w2")) {
            rest.add(String.join(",", ids(next)));
        }
        assertThat(rest).containsExactlyInAnyOrder("A4,A5", "B1,B2", "C1", "C2");
        assertThat(store.events("C1")).last().extracting(TaskEvent::message).isEqualTo("claimed (attempt 1)");
        assertThat(store.claim(run, "w3")).as("claim still takes one task").isEmpty();
    }

    @Test
    void companionsMustBeReadyAndOfTheSameRun() {
        long other = store.startRun(new RunInfo("Other_1", "host", 43, "astra run Other"));
        store.writePlan(run, plan()
                .task("A1", 0, batch("k", 10))
                .task("A2", 0, batch("k", 10).withPriority(9).withRetries(1, Duration.ofSeconds(30)))
                .task("A3", 1, batch("k", 10))
                .task("Dep", 0, TaskPolicy.DEFAULT)
                .edge("A3", "Dep")
                .build());
        store.writePlan(other, plan().task("A4", 0, batch("k", 10)).build());
        assertThat(store.claim(run, "w1").orElseThrow().taskId()).isEqualTo("A2");
        store.markFailed("A2", "w1", "flaky", null);

        assertThat(ids(store.claimBatch(run, "w1")))
                .as("A2 waits for its retry delay, A3 for Dep, A4 is another run's").containsExactly("A1");

        clock.advance(Duration.ofSeconds(30));
        assertThat(ids(store.claimBatch(run, "w1"))).containsExactly("A2");
    }

    @Test
    void eachMemberIsRecordedOnItsOwnAndReleasesOnlyItsOwnDependents() {
        store.writePlan(run, plan()
                .task("A1", 0, batch("k", 3)).task("A2", 0, batch("k", 3)).task("A3", 0, batch("k", 3))
                .task("NeedsA1A2", 2).edge("NeedsA1A2", "A1").edge("NeedsA1A2", "A2")
                .task("NeedsA3", 1).edge("NeedsA3", "A3")
                .build());
        assertThat(ids(store.claimBatch(run, "w"))).containsExactly("A1", "A2", "A3");

        assertThat(store.markDoneAll(List.of("A2", "A1"), "w")).containsExactly("A1", "A2");
        assertThat(store.markFailed("A3", "w", "no flux", "trace")).isTrue();

        assertThat(store.task("A1").orElseThrow().state()).isEqualTo(TaskState.DONE);
        assertThat(store.task("A3").orElseThrow()).extracting(TaskRecord::state, TaskRecord::error)
                .containsExactly(TaskState.FAILED, "no flux");
        assertThat(store.task("NeedsA1A2").orElseThrow().unfinishedDeps()).isZero();
        assertThat(store.task("NeedsA3").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.events("A1")).extracting(TaskEvent::message)
                .containsExactly("planned", "claimed (attempt 1, batch of 3)", "done");
        assertThat(store.markDoneAll(List.of("A1", "A3"), "w")).as("no longer held").isEmpty();
        assertThat(store.markDoneAll(List.of(), "w")).isEmpty();
        assertThat(ids(store.claimBatch(run, "w"))).containsExactly("NeedsA1A2");
    }

    @Test
    void aFailedMemberIsRetriedAlone() {
        TaskPolicy policy = batch("k", 3).withRetries(1, Duration.ZERO);
        store.writePlan(run, plan().task("A1", 0, policy).task("A2", 0, policy).task("A3", 0, policy).build());
        store.claimBatch(run, "w");
        store.markDoneAll(List.of("A1", "A3"), "w");
        store.markFailed("A2", "w", "cosmic ray", null);

        List<ClaimedTask> retry = store.claimBatch(run, "w");

        assertThat(retry).extracting(ClaimedTask::taskId, ClaimedTask::attempt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("A2", 2));
        assertThat(store.events("A2")).extracting(TaskEvent::message).containsExactly("planned",
                "claimed (attempt 1, batch of 3)", "failed, will retry (attempt 1 of 2): cosmic ray",
                "claimed (attempt 2)");
    }

    @Test
    void aTaskThatUsesResourcesIsClaimedWithoutCompanions() {
        store.writePlan(run, plan()
                .task("A1", 0, batch("k", 3).withResources(Map.of("gpu", 1)).withPriority(1))
                .task("A2", 0, batch("k", 3)).task("A3", 0, batch("k", 3).withResources(Map.of("tape", 1)))
                .build());

        assertThat(ids(store.claimBatch(run, "w"))).containsExactly("A1");
        assertThat(ids(store.claimBatch(run, "w"))).as("A3 uses a resource").containsExactly("A2");
    }

    @Test
    void manyBatchClaimersClaimEveryTaskExactlyOnce() throws Exception {
        Plans plan = plan();
        for (int i = 0; i < 300; i++) {
            plan.task(String.format("T%03d", i), 0, batch(i % 2 == 0 ? "even" : "odd", 20));
        }
        store.writePlan(run, plan.build());
        Database second = db.open(db.settings().withPoolSize(3), Clock.systemUTC());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> claimers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            TaskStore s = (t % 2 == 0 ? database : second).store();
            String worker = "w" + t;
            claimers.add(threads.submit(() -> {
                start.await();
                List<String> ran = new ArrayList<>();
                for (List<ClaimedTask> c = s.claimBatch(run, worker); !c.isEmpty(); c = s.claimBatch(run, worker)) {
                    assertThat(c.size()).isLessThanOrEqualTo(20);
                    assertThat(c.stream().map(x -> Integer.parseInt(x.taskId().substring(1)) % 2).distinct()).hasSize(1);
                    List<String> done = s.markDoneAll(ids(c), worker);
                    assertThat(done).hasSize(c.size());
                    ran.addAll(done);
                }
                return ran;
            }));
        }
        start.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : claimers) {
            all.addAll(f.get(120, TimeUnit.SECONDS));
        }

        assertThat(all).hasSize(300).doesNotHaveDuplicates();
        Map<String, Long> claims = store.eventsOfRun(run).stream().filter(e -> e.state() == TaskState.RUNNING)
                .collect(Collectors.groupingBy(TaskEvent::taskId, Collectors.counting()));
        assertThat(claims).hasSize(300).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }
}
