package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Claim scopes in the task store, the same on every database: the workers of a scope claim, and
 * wait for, the tasks of its families only; {@link ClaimScope#ALL} is the unscoped store. Also a
 * worker whose claim was ended (its lease ran out) and then finished late. One subclass per
 * database.
 */
public abstract class ClaimScopeContract extends StoreContract {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final ClaimScope ONLY_FIT = ClaimScope.only(Set.of("Fit"));
    private static final ClaimScope EXCEPT_FIT = ClaimScope.except(Set.of("Fit"));

    private static List<String> ids(List<ClaimedTask> claimed) {
        return claimed.stream().map(ClaimedTask::taskId).toList();
    }

    @Test
    void onlyClaimsTheTasksOfItsFamiliesWhateverTheirPriority() {
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0, 1).task("F2", 0, 0)
                .inFamily("Load").task("L1", 0, 9).build());

        List<ClaimedTask> first = store.claimBatch(run, "gpu", ONLY_FIT);

        assertThat(first).singleElement().extracting(ClaimedTask::taskId, ClaimedTask::family)
                .containsExactly("F1", "Fit");
        assertThat(ids(store.claimBatch(run, "gpu", ONLY_FIT))).containsExactly("F2");
        assertThat(store.claimBatch(run, "gpu", ONLY_FIT)).as("only Load is ready").isEmpty();
        assertThat(store.task("L1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(ids(store.claimBatch(run, "cpu"))).containsExactly("L1");
    }

    @Test
    void onlyOfSeveralFamiliesClaimsEachOfThem() {
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0, 1).inFamily("Plot").task("P1", 0, 5)
                .inFamily("Load").task("L1", 0, 9).build());
        ClaimScope fitAndPlot = ClaimScope.only(List.of("Plot", "Fit"));

        assertThat(ids(store.claimBatch(run, "w", fitAndPlot))).containsExactly("P1");
        assertThat(ids(store.claimBatch(run, "w", fitAndPlot))).containsExactly("F1");
        assertThat(store.claimBatch(run, "w", fitAndPlot)).isEmpty();
    }

    @Test
    void exceptNeverClaimsTheFamiliesItSkips() {
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0, 9).task("F2", 0, 8)
                .inFamily("Load").task("L1", 0, 1).inFamily("Plot").task("P1", 0, 0).build());

        assertThat(ids(store.claimBatch(run, "cpu", EXCEPT_FIT))).containsExactly("L1");
        assertThat(ids(store.claimBatch(run, "cpu", EXCEPT_FIT))).containsExactly("P1");
        assertThat(store.claimBatch(run, "cpu", EXCEPT_FIT)).isEmpty();
        assertThat(store.tasksOfRun(run)).filteredOn(t -> t.family().equals("Fit"))
                .extracting(TaskRecord::state).containsOnly(TaskState.PENDING);
    }

    @Test
    void aScopedBatchTakesItsCompanionsToo() {
        TaskPolicy batch = TaskPolicy.DEFAULT.withBatch("Fit:k", 3);
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0, batch.withPriority(1)).task("F2", 0, batch)
                .inFamily("Load").task("L1", 0, 9).build());

        assertThat(ids(store.claimBatch(run, "gpu", ONLY_FIT))).containsExactly("F1", "F2");
        assertThat(store.events("F2")).last().extracting(TaskEvent::message).isEqualTo("claimed (attempt 1, batch of 2)");
    }

    @Test
    void markDoneAndClaimClaimsNextInTheScopeOnly() {
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0, 5).task("F2", 0, 1).task("FAfterF1", 1, 7)
                .inFamily("Load").task("L1", 0, 9).task("LAfterF1", 1, 8)
                .edge("FAfterF1", "F1").edge("LAfterF1", "F1").build());
        assertThat(ids(store.claimBatch(run, "gpu", ONLY_FIT))).containsExactly("F1");

        TaskStore.DoneAndNext afterF1 = store.markDoneAndClaim("F1", "gpu", run, ONLY_FIT);

        assertThat(afterF1.recorded()).isTrue();
        assertThat(ids(afterF1.next())).as("the dependent it released, in scope").containsExactly("FAfterF1");
        assertThat(store.task("LAfterF1").orElseThrow().unfinishedDeps()).as("released, not claimed").isZero();
        assertThat(ids(store.markDoneAndClaim("FAfterF1", "gpu", run, ONLY_FIT).next())).containsExactly("F2");
        TaskStore.DoneAndNext last = store.markDoneAndClaim("F2", "gpu", run, ONLY_FIT);
        assertThat(last.recorded()).isTrue();
        assertThat(last.next()).as("only Load tasks are ready").isEmpty();
        assertThat(store.task("F2").orElseThrow().state()).isEqualTo(TaskState.DONE);
        assertThat(store.tasksOfRun(run)).filteredOn(t -> t.family().equals("Load"))
                .extracting(TaskRecord::state).containsOnly(TaskState.PENDING);
    }

    @Test
    void markDoneAndClaimWithExceptSkipsTheFamily() {
        store.writePlan(run, plan().inFamily("Load").task("L1", 0, 1).task("L2", 0, 0)
                .inFamily("Fit").task("F1", 0, 9).build());
        assertThat(ids(store.claimBatch(run, "cpu", EXCEPT_FIT))).containsExactly("L1");

        assertThat(ids(store.markDoneAndClaim("L1", "cpu", run, EXCEPT_FIT).next())).containsExactly("L2");
        assertThat(store.markDoneAndClaim("L2", "cpu", run, EXCEPT_FIT).next()).isEmpty();
        assertThat(store.task("F1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void aScopeHasWorkLeftWhileATaskOfItsFamiliesIsPendingOrRunning() {
        store.writePlan(run, plan().inFamily("Load").task("L1", 0).inFamily("Fit").task("F1", 1)
                .edge("F1", "L1").build());

        assertThat(store.hasWorkLeft(run, ONLY_FIT)).as("F1 waits for L1").isTrue();
        assertThat(store.hasWorkLeft(run, ClaimScope.only(Set.of("Plot")))).as("no Plot task at all").isFalse();
        assertThat(store.hasWorkLeft(run, EXCEPT_FIT)).isTrue();

        store.claimBatch(run, "cpu", EXCEPT_FIT);
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).as("F1 waits for L1, running").isTrue();
        store.markDone("L1", "cpu");
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).as("F1 ready").isTrue();
        assertThat(store.hasWorkLeft(run, EXCEPT_FIT)).as("only F1 is left").isFalse();

        assertThat(ids(store.claimBatch(run, "gpu", ONLY_FIT))).containsExactly("F1");
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).as("F1 running").isTrue();
        assertThat(store.hasWorkLeft(run, EXCEPT_FIT)).isFalse();

        store.markDone("F1", "gpu");
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).isFalse();
    }

    @Test
    void aScopeWhoseTasksCanNeverRunHasNoWorkLeftWhileTheRunHasOther() {
        store.writePlan(run, plan().inFamily("Load").task("L1", 0, 9).task("L2", 0, 0)
                .inFamily("Fit").task("F1", 1).edge("F1", "L1").inFamily("Plot").task("P1", 0, 0).build());
        assertThat(store.disableFamily("Plot", "test")).isTrue();

        assertThat(ids(store.claimBatch(run, "cpu", EXCEPT_FIT))).containsExactly("L1");
        assertThat(store.markFailed("L1", "cpu", "boom", null)).isTrue();

        assertThat(store.hasWorkLeft(run)).as("L2 is ready").isTrue();
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).as("F1 needs L1, which failed").isFalse();
        assertThat(store.hasWorkLeft(run, ClaimScope.only(Set.of("Plot")))).as("Plot is disabled").isFalse();
        assertThat(store.hasWorkLeft(run, ClaimScope.only(Set.of("Load")))).as("L2").isTrue();
    }

    @Test
    void aScopeWhoseTasksEndedHasNoWorkLeftWhileTheRunHasOther() {
        store.writePlan(run, plan().inFamily("Fit").task("FDone", 0, 9).task("FFailed", 0, 8)
                .inFamily("Load").task("L1", 0, 0).task("L2", 0, 0).build());
        store.claimBatch(run, "gpu", ONLY_FIT);
        store.markDone("FDone", "gpu");
        store.claimBatch(run, "gpu", ONLY_FIT);
        store.markFailed("FFailed", "gpu", "boom", null);

        assertThat(store.hasWorkLeft(run)).as("L1 and L2 are ready").isTrue();
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).isFalse();
        assertThat(store.hasWorkLeft(run, EXCEPT_FIT)).isTrue();
        store.claimBatch(run, "cpu", EXCEPT_FIT);
        assertThat(store.hasWorkLeft(run, EXCEPT_FIT)).as("L1 running, L2 ready").isTrue();
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).isFalse();
    }

    @Test
    void aScopeIsNeverAheadOfItsRun() {
        store.writePlan(run, plan().inFamily("Fit").task("F1", 0).build());
        long other = store.startRun(new RunInfo("Other_1", "host", 43, "astra run Other"));

        assertThat(store.hasWorkLeft(other, ONLY_FIT)).as("F1 is run " + run + "'s").isFalse();
        assertThat(store.claimBatch(other, "gpu", ONLY_FIT)).isEmpty();
        assertThat(store.hasWorkLeft(run, ONLY_FIT)).isTrue();
    }

    @Test
    void everyFamilyBehavesAsTheUnscopedMethods() {
        long scoped = store.startRun(new RunInfo("Scoped_1", "host", 43, "astra run Scoped"));
        store.writePlan(run, sameShape("U"));
        store.writePlan(scoped, sameShape("S"));
        List<ClaimScope> alike = List.of(ClaimScope.ALL, ClaimScope.only(Set.of()), ClaimScope.except(List.of()));

        for (ClaimScope scope : alike) {
            assertThat(scope).isEqualTo(ClaimScope.ALL);
        }
        List<String> unscoped = drain(run, "u", store::hasWorkLeft, (id, r) -> store.markDoneAndClaim(id, "u", r),
                r -> store.claimBatch(r, "u"));
        List<String> all = drain(scoped, "s", r -> store.hasWorkLeft(r, ClaimScope.ALL),
                (id, r) -> store.markDoneAndClaim(id, "s", r, ClaimScope.ALL), r -> store.claimBatch(r, "s", ClaimScope.ALL));

        assertThat(unscoped).containsExactly("U-Fit-9", "U-Load-5", "U-Fit-after", "U-Plot-1", "U-Load-0", "(no work left)");
        assertThat(all).containsExactlyElementsOf(unscoped.stream().map(id -> id.replace("U-", "S-")).toList());
    }

    /** Three families and an edge, ids prefixed so that two runs can hold the same shape. */
    private static Plan sameShape(String prefix) {
        return plan().inFamily("Fit").task(prefix + "-Fit-9", 0, 9).task(prefix + "-Fit-after", 1, 3)
                .inFamily("Load").task(prefix + "-Load-5", 0, 5).task(prefix + "-Load-0", 0, 0)
                .inFamily("Plot").task(prefix + "-Plot-1", 0, 1)
                .edge(prefix + "-Fit-after", prefix + "-Fit-9").build();
    }

    /** Claims and finishes the run's tasks one at a time; the ids in the order claimed, then the end. */
    private static List<String> drain(long runId, String worker, Function<Long, Boolean> workLeft,
            java.util.function.BiFunction<String, Long, TaskStore.DoneAndNext> doneAndClaim,
            Function<Long, List<ClaimedTask>> claim) {
        List<String> order = new ArrayList<>();
        List<ClaimedTask> next = claim.apply(runId);
        while (!next.isEmpty()) {
            assertThat(workLeft.apply(runId)).as(worker + " holds " + ids(next)).isTrue();
            String id = next.get(0).taskId();
            order.add(id);
            next = doneAndClaim.apply(id, runId).next();
        }
        order.add(workLeft.apply(runId) ? "(work left)" : "(no work left)");
        return order;
    }

    @Test
    void aLateWorkerCannotFinishATaskAnotherWorkerTookOver() {
        store.writePlan(run, plan().withRetries(1).inFamily("Fit").task("T", 0, 9).task("U", 0, 0).build());
        assertThat(ids(store.claimBatch(run, "A", ONLY_FIT))).containsExactly("T");
        clock.advance(LEASE.plusSeconds(1));

        assertThat(store.releaseStaleClaims(LEASE, "no heartbeat for 60 s")).containsExactly("T");
        assertThat(store.task("T").orElseThrow().state()).as("given back").isEqualTo(TaskState.PENDING);
        ClaimedTask taken = store.claimBatch(run, "B", ONLY_FIT).get(0);
        assertThat(taken.taskId()).isEqualTo("T");
        assertThat(taken.attempt()).as("the silent worker's attempt is not counted").isEqualTo(1);
        assertThat(store.markDone("T", "B")).isTrue();

        assertThat(store.markDone("T", "A")).isFalse();
        TaskStore.DoneAndNext late = store.markDoneAndClaim("T", "A", run, ONLY_FIT);

        assertThat(late.recorded()).isFalse();
        assertThat(late.next()).as("nothing claimed for a worker that lost its claim").isEmpty();
        assertThat(store.task("U").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.task("T").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker, TaskRecord::attempts)
                .containsExactly(TaskState.DONE, "B", 1);
        assertThat(store.events("T")).filteredOn(e -> e.state() == TaskState.DONE).singleElement()
                .extracting(TaskEvent::worker, TaskEvent::message).containsExactly("B", "done");
    }

    @Test
    void aLateWorkerCannotFinishATaskGivenBackWhenItsLeaseRanOut() {
        store.writePlan(run, plan().withRetries(0).inFamily("Fit").task("T", 0, 9).task("U", 0, 0).build());
        assertThat(ids(store.claimBatch(run, "A", ONLY_FIT))).containsExactly("T");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.releaseStaleClaims(LEASE, "no heartbeat for 60 s")).containsExactly("T");

        assertThat(store.markDone("T", "A")).isFalse();
        TaskStore.DoneAndNext late = store.markDoneAndClaim("T", "A", run, ONLY_FIT);

        assertThat(late.recorded()).isFalse();
        assertThat(late.next()).isEmpty();
        assertThat(store.task("T").orElseThrow()).extracting(TaskRecord::state, TaskRecord::attempts)
                .as("pending, its attempt not counted even without retries").containsExactly(TaskState.PENDING, 0);
        assertThat(store.events("T")).extracting(TaskEvent::state).doesNotContain(TaskState.DONE, TaskState.FAILED);
        assertThat(store.task("U").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }
}
