package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import astra.core.testing.MutableClock;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two runs over overlapping graphs: a task row belongs to one run at a time, the other waits for
 * it, and a run that ends hands what a live run needs over to it. One subclass per database.
 */
public abstract class ConcurrentRunsContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    protected abstract DatabaseExtension database();

    MutableClock clock;
    TaskStore store;
    long a;
    long b;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void open() {
        clock = new MutableClock(Instant.parse("2026-03-04T05:06:07Z"));
        store = db.open(clock).store();
        a = store.startRun(new RunInfo("RootA", "host-a", 1, "astra run RootA"));
        clock.advance(Duration.ofSeconds(1));
        b = store.startRun(new RunInfo("RootB", "host-b", 2, "astra run RootB"));
        clock.advance(Duration.ofSeconds(1));
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aRequirementFoundAtRunTimeThatAnotherLiveRunHoldsStaysWithIt() {
        store.writePlan(a, plan().task("S", 0).task("RootA", 1).edge("RootA", "S").build());
        store.writePlan(b, plan().task("Finder", 0).build());
        assertThat(claimedId(b, "wb")).contains("Finder");

        assertThat(store.suspend("Finder", "wb", b, plan().task("S", 0).edge("Finder", "S").build())).isTrue();

        assertThat(store.task("S").orElseThrow().runId()).as("still A's").isEqualTo(a);
        assertThat(store.task("Finder").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.claim(b, "wb")).isEmpty();
        assertThat(store.hasWorkLeft(b)).as("Finder waits for A's S").isTrue();
        assertThat(claimedId(a, "wa")).contains("S");
        store.markDone("S", "wa");
        assertThat(claimedId(b, "wb")).contains("Finder");
    }

    @Test
    void aTaskPendingInALiveRunStaysThereAndTheOtherRunWaitsForIt() {
        store.writePlan(a, plan().task("S", 0).task("RootA", 1).edge("RootA", "S").build());
        store.writePlan(b, plan().task("S", 0).task("OnlyB", 0).task("RootB", 2)
                .edge("RootB", "S").edge("RootB", "OnlyB").build());

        assertThat(store.task("S").orElseThrow().runId()).isEqualTo(a);
        assertThat(store.events("S")).extracting(TaskEvent::message).containsExactly("planned");
        assertThat(claimedId(b, "wb")).contains("OnlyB");
        store.markDone("OnlyB", "wb");
        assertThat(store.claim(b, "wb")).as("S is run A's to run").isEmpty();
        assertThat(store.hasWorkLeft(b)).as("B waits for A's S").isTrue();

        assertThat(claimedId(a, "wa")).contains("S");
        assertThat(store.hasWorkLeft(b)).as("B waits while S runs").isTrue();
        store.markDone("S", "wa");

        assertThat(claimedId(b, "wb")).as("A's worker released B's root").contains("RootB");
        store.markDone("RootB", "wb");
        assertThat(store.hasWorkLeft(b)).isFalse();
        assertThat(store.task("S").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void aRunWaitsForNothingWhenWhatItNeedsFailedInAnotherRun() {
        store.writePlan(a, plan().task("S", 0).build());
        store.writePlan(b, plan().task("S", 0).task("RootB", 1).edge("RootB", "S").build());
        store.claim(a, "wa").orElseThrow();

        store.markFailed("S", "wa", "boom", "detail");

        assertThat(store.hasWorkLeft(b)).isFalse();
        assertThat(store.hasWorkLeft(a)).isFalse();
    }

    @Test
    void failedMissingAndPendingRowsOfEndedRunsAreTakenOver() {
        store.writePlan(a, plan().task("F", 0).task("P", 1).missing("Raw").edge("P", "Raw").build());
        store.claim(a, "wa").orElseThrow();
        store.markFailed("F", "wa", "boom", "detail");
        store.finishRun(a, "FAILED");

        store.writePlan(b, plan().task("F", 0).task("P", 1).missing("Raw").edge("P", "Raw").build());

        assertThat(store.tasks(List.of("F", "P", "Raw"))).extracting(TaskRecord::runId).containsOnly(b);
        assertThat(store.task("F").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void aTaskDoneSinceTheRunStartedIsNotRunAgain() {
        // B checked its graph when S was not done yet; A finishes S before B writes its plan.
        store.writePlan(a, plan().task("S", 0).build());
        store.claim(a, "wa").orElseThrow();
        store.markDone("S", "wa");
        store.finishRun(a, "SUCCESS");

        store.writePlan(b, plan().task("S", 0).task("RootB", 1).edge("RootB", "S").build());

        TaskRecord s = store.task("S").orElseThrow();
        assertThat(s.state()).isEqualTo(TaskState.DONE);
        assertThat(s.runId()).isEqualTo(a);
        assertThat(claimedId(b, "wb")).contains("RootB");
    }

    @Test
    void aTaskDoneBeforeTheRunStartedIsRunAgainWhenPlanned() {
        // Its own complete() said no (its output was deleted): the run must redo it.
        store.writePlan(a, plan().task("S", 0).build());
        store.claim(a, "wa").orElseThrow();
        store.markDone("S", "wa");
        store.finishRun(a, "SUCCESS");
        clock.advance(Duration.ofSeconds(1));
        long c = store.startRun(new RunInfo("S", "host-c", 3, "astra run S"));

        store.writePlan(c, plan().task("S", 0).build());

        assertThat(store.task("S").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(claimedId(c, "wc")).contains("S");
    }

    @Test
    void anEndingRunHandsWhatALiveRunNeedsOverToItAndKeepsTheRest() {
        // S2 requires S1; A also has a task nobody else needs.
        store.writePlan(a, plan().task("S1", 0).task("S2", 1).task("Y", 0).task("RootA", 2)
                .edge("S2", "S1").edge("RootA", "S2").edge("RootA", "Y").build());
        store.writePlan(b, plan().task("S1", 0).task("S2", 1).task("RootB", 1)
                .edge("S2", "S1").edge("RootB", "S2").build());
        assertThat(store.tasks(List.of("S1", "S2"))).extracting(TaskRecord::runId).containsOnly(a);

        store.finishRun(a, "INTERRUPTED");

        assertThat(ownerOf("S1", "S2", "Y", "RootA", "RootB"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("S1", b, "S2", b, "Y", a, "RootA", a, "RootB", b));
        assertThat(store.events("S1")).last().satisfies(e -> {
            assertThat(e.message()).isEqualTo("handed over from run " + a);
            assertThat(e.runId()).isEqualTo(b);
            assertThat(e.state()).isEqualTo(TaskState.PENDING);
        });
        assertThat(claimedId(b, "wb")).contains("S1");
    }

    @Test
    void anAbandonedRunHandsOverWhatItWasRunningToo() {
        store.writePlan(a, plan().task("S", 0).build());
        store.writePlan(b, plan().task("S", 0).task("RootB", 1).edge("RootB", "S").build());
        store.claim(a, "wa").orElseThrow();

        assertThat(store.abandonRun(a, "its process is gone")).isEqualTo(1);

        TaskRecord s = store.task("S").orElseThrow();
        assertThat(s.state()).isEqualTo(TaskState.PENDING);
        assertThat(s.runId()).isEqualTo(b);
        assertThat(s.attempts()).as("the dead run's attempt is not counted").isZero();
        assertThat(store.events("S")).extracting(TaskEvent::message)
                .endsWith("released: its process is gone", "handed over from run " + a);
        assertThat(claimedId(b, "wb")).contains("S");
    }

    @Test
    void aTaskLeftPendingInAnEndedRunIsHandedOverOnRequest() {
        store.writePlan(a, plan().withRetries(1).task("S", 0).build());
        store.claim(a, "wa").orElseThrow();
        store.writePlan(b, plan().task("S", 0).task("RootB", 1).edge("RootB", "S").build());
        store.finishRun(a, "INTERRUPTED");
        assertThat(store.task("S").orElseThrow().runId()).as("running: not A's to give").isEqualTo(a);
        // Its worker went away afterwards, and the claim was ended to be retried.
        assertThat(store.endClaimsOf("wa", "its worker died")).containsExactly("S");
        assertThat(store.hasWorkLeft(b)).as("B waits for the hand-over").isTrue();

        assertThat(store.handOverOrphans()).isEqualTo(1);

        assertThat(store.task("S").orElseThrow().runId()).isEqualTo(b);
        assertThat(store.handOverOrphans()).isZero();
        assertThat(claimedId(b, "wb")).contains("S");
    }

    @Test
    void anOrphanNeededByTwoLiveRunsGoesToTheOldest() {
        long c = store.startRun(new RunInfo("RootC", "host-c", 3, "astra run RootC"));
        store.writePlan(c, plan().task("S", 0).build());
        store.writePlan(b, plan().task("S", 0).task("RootB", 1).edge("RootB", "S").build());
        store.writePlan(a, plan().task("S", 0).task("RootA", 1).edge("RootA", "S").build());

        store.finishRun(c, "INTERRUPTED");

        assertThat(store.task("S").orElseThrow().runId()).isEqualTo(a);
        assertThat(store.hasWorkLeft(b)).isTrue();
    }

    @Test
    void rivalPlansOfOverlappingGraphsGiveEachSharedTaskToOneRun() throws Exception {
        int shared = 1_000;
        TaskStore other = db.open(db.settings(), Clock.systemUTC()).store();
        TaskStore mine = db.open(db.settings(), Clock.systemUTC()).store();
        long one = mine.startRun(new RunInfo("One", "h", 1, "c"));
        long two = other.startRun(new RunInfo("Two", "h", 2, "c"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> planners = new ArrayList<>();
        for (long run : List.of(one, two)) {
            TaskStore s = run == one ? mine : other;
            Plans p = plan().task("Wrapper", shared).task("Root" + run, 1).edge("Root" + run, "Wrapper");
            // Each also has tasks of its own, sorting before and after the shared ones.
            p.task("A" + run, 0).task("Z" + run, 0).edge("Root" + run, "A" + run).edge("Root" + run, "Z" + run);
            for (int i = 0; i < shared; i++) {
                String leaf = String.format("Leaf%04d", i);
                p.task(leaf, 0).edge("Wrapper", leaf);
            }
            Plan built = p.build();
            planners.add(threads.submit(() -> {
                start.await();
                s.writePlan(run, built);
                return null;
            }));
        }

        start.countDown();
        for (Future<?> planner : planners) {
            planner.get(5, TimeUnit.MINUTES);
        }

        List<String> sharedIds = new ArrayList<>(List.of("Wrapper"));
        for (int i = 0; i < shared; i++) {
            sharedIds.add(String.format("Leaf%04d", i));
        }
        List<TaskRecord> rows = mine.tasks(sharedIds);
        assertThat(rows).hasSize(shared + 1)
                .allSatisfy(r -> assertThat(r.runId()).isIn(one, two));
        // Written once: the run that lost kept its hands off, so no row was planned twice.
        for (String id : List.of("Wrapper", "Leaf0000", "Leaf0999")) {
            assertThat(mine.events(id)).extracting(TaskEvent::message).containsExactly("planned");
        }
        assertThat(mine.task("A" + one).orElseThrow().runId()).isEqualTo(one);
        assertThat(mine.task("Z" + two).orElseThrow().runId()).isEqualTo(two);
        assertThat(mine.task("Wrapper").orElseThrow().unfinishedDeps()).isEqualTo(shared);
        // Both roots wait for the wrapper, whichever run owns it.
        assertThat(mine.task("Root" + one).orElseThrow().unfinishedDeps()).isEqualTo(3);
        assertThat(mine.task("Root" + two).orElseThrow().unfinishedDeps()).isEqualTo(3);
    }

    @Test
    void tasksAreReadByIdWhateverRunOwnsThem() {
        store.writePlan(a, plan().task("X", 0).build());
        store.writePlan(b, plan().task("Y", 0).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JooqTaskStore.DONE_CHUNK + 3; i++) {
            ids.add("nope" + i);
        }
        ids.addAll(List.of("X", "Y", "X"));

        assertThat(store.tasks(ids)).extracting(TaskRecord::taskId).containsExactlyInAnyOrder("X", "Y");
        assertThat(store.tasks(List.of())).isEmpty();
        assertThat(store.run(b)).hasValueSatisfying(r -> {
            assertThat(r.host()).isEqualTo("host-b");
            assertThat(r.pid()).isEqualTo(2);
            assertThat(r.finishedAt()).isNull();
        });
        assertThat(store.run(b + 100)).isEmpty();
    }

    private Optional<String> claimedId(long run, String worker) {
        return store.claim(run, worker).map(ClaimedTask::taskId);
    }

    private Map<String, Long> ownerOf(String... ids) {
        return store.tasks(List.of(ids)).stream().collect(Collectors.toMap(TaskRecord::taskId, TaskRecord::runId));
    }
}
