package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.store.AstraTables.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * What worker processes and their parent ask of the task store (retries, releasing and ending
 * claims, registration and heartbeats), the same on every database; one subclass per database.
 */
public abstract class WorkerStoreContract extends StoreContract {

    private static final Duration LEASE = Duration.ofSeconds(60);

    @Test
    void withNoRetriesTheFirstFailureIsFinal() {
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w").orElseThrow();

        assertThat(store.markFailed("A", "w", "boom", "trace")).isTrue();

        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.FAILED);
        assertThat(a.attempts()).isEqualTo(1);
        assertThat(a.error()).isEqualTo("boom");
        assertThat(store.events("A")).last().extracting(TaskEvent::state, TaskEvent::message)
                .containsExactly(TaskState.FAILED, "boom");
    }

    @Test
    void aFailureWithinTheRetriesGoesBackToPendingAndTheNextOneIsFinal() {
        store.writePlan(run, plan().withRetries(1).task("A", 0).task("B", 1).edge("B", "A").build());
        assertThat(store.claim(run, "w1").orElseThrow().attempt()).isEqualTo(1);

        assertThat(store.markFailed("A", "w1", "ValueError: bad flux", "Traceback...")).isTrue();

        TaskRecord retried = store.task("A").orElseThrow();
        assertThat(retried.state()).isEqualTo(TaskState.PENDING);
        assertThat(retried.worker()).isNull();
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.error()).isEqualTo("ValueError: bad flux");
        assertThat(retried.finishedAt()).isNull();
        assertThat(errorDetail("A")).isEqualTo("Traceback...");
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).as("dependents untouched").isEqualTo(1);
        assertThat(store.events("A")).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.PENDING);
            assertThat(e.worker()).isEqualTo("w1");
            assertThat(e.message()).isEqualTo("failed, will retry (attempt 1 of 2): ValueError: bad flux");
        });
        assertThat(store.hasWorkLeft(run)).isTrue();

        ClaimedTask again = store.claim(run, "w2").orElseThrow();
        assertThat(again.taskId()).isEqualTo("A");
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(store.markFailed("A", "w2", "ValueError: bad flux", "Traceback...")).isTrue();

        TaskRecord failed = store.task("A").orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.events("A")).extracting(TaskEvent::state).containsExactly(TaskState.PENDING,
                TaskState.RUNNING, TaskState.PENDING, TaskState.RUNNING, TaskState.FAILED);
    }

    @Test
    void aRetriedTaskThatSucceedsIsDoneWithoutTheOldError() {
        store.writePlan(run, plan().withRetries(3).task("A", 0).task("B", 1).edge("B", "A").build());
        store.claim(run, "w").orElseThrow();
        store.markFailed("A", "w", "flaky", "detail");
        store.claim(run, "w").orElseThrow();

        assertThat(store.markDone("A", "w")).isTrue();

        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.DONE);
        assertThat(a.error()).isNull();
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isZero();
    }

    @Test
    void markFailedByAWorkerWithoutTheClaimChangesNothingWhateverTheRetries() {
        store.writePlan(run, plan().withRetries(3).task("A", 0).build());
        store.claim(run, "w1").orElseThrow();
        TaskRecord before = store.task("A").orElseThrow();

        assertThat(store.markFailed("A", "w2", "boom", "detail")).isFalse();
        assertThat(store.markFailed("unknown", "w1", "boom", "detail")).isFalse();

        assertThat(store.task("A")).contains(before);
        assertThat(store.events("A")).hasSize(2);
    }

    @Test
    void releaseGivesTheTaskBackWithoutCountingTheAttempt() {
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w1").orElseThrow();

        assertThat(store.release("A", "w2", "not mine")).isFalse();
        assertThat(store.release("A", "w1", "worker shutting down")).isTrue();
        assertThat(store.release("A", "w1", "twice")).as("no longer held").isFalse();

        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.PENDING);
        assertThat(a.worker()).isNull();
        assertThat(a.attempts()).isZero();
        assertThat(store.events("A")).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.PENDING);
            assertThat(e.worker()).isEqualTo("w1");
            assertThat(e.message()).isEqualTo("released: worker shutting down");
            assertThat(e.runId()).isEqualTo(run);
        });
        assertThat(store.claim(run, "w2").orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void endClaimsOfEndsOnlyTheRunningTasksOfThatWorker() {
        store.writePlan(run, plan().withRetries(1).task("A", 0, 9).task("B", 0, 8).task("C", 0, 7).task("D", 0, 6)
                .withRetries(0).task("E", 0, 5).task("F", 0, 4).task("G", 0, 3).build());
        store.claim(run, "w1").orElseThrow();  // A, attempt 1
        store.markFailed("A", "w1", "flaky", "detail");
        store.claim(run, "w1").orElseThrow();  // A, attempt 2
        store.claim(run, "w1").orElseThrow();  // B, attempt 1
        store.claim(run, "w2").orElseThrow();  // C
        store.claim(run, "w1").orElseThrow();  // D
        store.markDone("D", "w1");
        store.claim(run, "w1").orElseThrow();  // E
        store.markFailed("E", "w1", "boom", "detail");

        List<String> ended = store.endClaimsOf("w1", "worker killed (signal 9)");

        assertThat(ended).containsExactly("A", "B");
        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).as("attempt 2 of 2").isEqualTo(TaskState.FAILED);
        assertThat(a.error()).isEqualTo("worker killed (signal 9)");
        assertThat(store.events("A")).last().extracting(TaskEvent::state, TaskEvent::worker, TaskEvent::message)
                .containsExactly(TaskState.FAILED, "w1", "worker killed (signal 9)");
        TaskRecord b = store.task("B").orElseThrow();
        assertThat(b.state()).as("attempt 1 of 2").isEqualTo(TaskState.PENDING);
        assertThat(b.worker()).isNull();
        assertThat(b.error()).isEqualTo("worker killed (signal 9)");
        assertThat(store.events("B")).last().extracting(TaskEvent::message)
                .isEqualTo("failed, will retry (attempt 1 of 2): worker killed (signal 9)");
        assertThat(store.task("C").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker)
                .containsExactly(TaskState.RUNNING, "w2");
        assertThat(store.task("D").orElseThrow().state()).isEqualTo(TaskState.DONE);
        assertThat(store.task("E").orElseThrow().error()).isEqualTo("boom");
        assertThat(store.task("F").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.endClaimsOf("w1", "again")).isEmpty();
        assertThat(store.endClaimsOf("nobody", "gone")).isEmpty();
    }

    @Test
    void staleClaimsAreGivenBackAndHeartbeatsKeepClaimsAlive() {
        store.writePlan(run, plan().task("A", 0, 9).withRetries(2).task("B", 0, 8).withRetries(0).task("C", 0, 7)
                .task("D", 0, 6).build());
        for (String worker : List.of("w1", "w2", "w3", "w4")) {
            store.registerWorker(worker(worker));
        }
        Instant claimed = now();
        store.claim(run, "w1").orElseThrow();  // A
        store.claim(run, "w2").orElseThrow();  // B
        store.claim(run, "w3").orElseThrow();  // C
        assertThat(heartbeatAt("A")).isEqualTo(claimed);
        clock.advance(Duration.ofSeconds(90));
        store.heartbeat("w2", 0);
        assertThat(heartbeatAt("B")).isEqualTo(claimed.plusSeconds(90));
        clock.advance(Duration.ofSeconds(30));
        store.claim(run, "w4").orElseThrow();  // D, fresh

        List<String> ended = store.releaseStaleClaims(LEASE, "no heartbeat for 60 s");

        assertThat(ended).containsExactly("A", "C");
        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::attempts, TaskRecord::worker)
                .as("given back, uncounted").containsExactly(TaskState.PENDING, 0, null);
        assertThat(store.events("C")).last().extracting(TaskEvent::worker, TaskEvent::message)
                .containsExactly("w3", "released: no heartbeat for 60 s");
        assertThat(store.task("B").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.task("D").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        // B's heartbeat is exactly 30 s old: stale only when strictly older than the lease.
        assertThat(store.releaseStaleClaims(Duration.ofSeconds(30), "stale")).isEmpty();
        clock.advance(Duration.ofNanos(1000));
        assertThat(store.releaseStaleClaims(Duration.ofSeconds(30), "stale")).containsExactly("B");
        assertThat(store.task("B").orElseThrow().state()).as("given back").isEqualTo(TaskState.PENDING);
    }

    @Test
    void aClaimWithoutAHeartbeatIsAsOldAsItsStart() {
        store.writePlan(run, plan().task("Old", 0, 9).task("New", 0).build());
        store.claim(run, "w1").orElseThrow();
        clock.advance(Duration.ofMinutes(2));
        store.claim(run, "w2").orElseThrow();
        database.dsl().update(Task.TABLE).setNull(Task.HEARTBEAT_AT).execute();

        assertThat(store.releaseStaleClaims(LEASE, "stale")).containsExactly("Old");
        assertThat(store.task("New").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThatThrownBy(() -> store.releaseStaleClaims(Duration.ZERO, "stale"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    }

    @Test
    void heartbeatTouchesOnlyTheWorkersRowAndItsRunningTasks() {
        store.writePlan(run, plan().task("A", 0, 9).task("B", 0, 8).task("C", 0, 7).build());
        store.registerWorker(worker("w1"));
        store.registerWorker(worker("w2"));
        store.claim(run, "w1").orElseThrow();  // A
        store.markDone("A", "w1");
        store.claim(run, "w1").orElseThrow();  // B
        store.claim(run, "w2").orElseThrow();  // C
        Instant claimed = now();
        clock.advance(Duration.ofSeconds(10));

        store.heartbeat("w1", 1);

        assertThat(heartbeatAt("B")).isEqualTo(now());
        assertThat(heartbeatAt("A")).as("done: not held any more").isEqualTo(claimed);
        assertThat(heartbeatAt("C")).as("another worker's").isEqualTo(claimed);
        assertThat(store.workers(run)).filteredOn(w -> w.workerId().equals("w1")).singleElement().satisfies(w -> {
            assertThat(w.lastHeartbeat()).isEqualTo(now());
            assertThat(w.tasksRun()).isEqualTo(1);
        });
        assertThat(store.workers(run)).filteredOn(w -> w.workerId().equals("w2")).singleElement()
                .extracting(WorkerRecord::lastHeartbeat, WorkerRecord::tasksRun).containsExactly(null, 0);
        assertThatThrownBy(() -> store.heartbeat("ghost", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
    }

    @Test
    void workersReadBackAsTheyRegisteredInTheOrderTheyStarted() {
        long other = store.startRun(new RunInfo("Other_1", "host", 43, "astra run Other"));
        Instant start = Instant.parse("2026-03-04T05:00:00.123456789Z");
        WorkerRecord late = new WorkerRecord("a-late", run, "node7", 4242, start.plusSeconds(5), 310, 1,
                null, 0, null, null);
        WorkerRecord early = new WorkerRecord("b-early", run, "node8", 77, start, 295, 640, 2,
                start.plusSeconds(1), 3, null, null);
        WorkerRecord tie = new WorkerRecord("c-tie", run, "node8", 78, start, 0, 1, null, 0, null, null);
        store.registerWorker(late);
        store.registerWorker(tie);
        store.registerWorker(early);
        store.registerWorker(worker("elsewhere", other));

        List<WorkerRecord> workers = store.workers(run);

        assertThat(workers).extracting(WorkerRecord::workerId).containsExactly("b-early", "c-tie", "a-late");
        assertThat(workers.get(0)).isEqualTo(new WorkerRecord("b-early", run, "node8", 77,
                micros(start), 295, 640, 2, micros(start.plusSeconds(1)), 3, null, null));
        assertThat(workers.get(2)).isEqualTo(new WorkerRecord("a-late", run, "node7", 4242,
                micros(start.plusSeconds(5)), 310, 1, null, 0, null, null));
        assertThat(store.workers(other)).extracting(WorkerRecord::workerId).containsExactly("elsewhere");
        assertThat(store.workers(other + 1000)).isEmpty();
    }

    @Test
    void aWorkerWithoutAStartTimeStartsNow() {
        store.registerWorker(worker("w"));

        assertThat(store.workers(run)).singleElement().extracting(WorkerRecord::startedAt).isEqualTo(now());
    }

    @Test
    void registeringTwiceOrIntoAnUnknownRunIsRefused() {
        store.registerWorker(worker("w"));

        assertThatThrownBy(() -> store.registerWorker(worker("w")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("worker w is already registered");
        assertThatThrownBy(() -> store.registerWorker(worker("x", run + 1000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot register worker x: no run " + (run + 1000));
        assertThat(store.workers(run)).extracting(WorkerRecord::workerId).containsExactly("w");
    }

    @Test
    void theFirstStopOfAWorkerStands() {
        store.registerWorker(worker("w"));
        clock.advance(Duration.ofMinutes(5));
        Instant stopped = now();

        store.workerStopped("w", "idle");
        clock.advance(Duration.ofMinutes(1));
        store.workerStopped("w", "killed");
        store.workerStopped("never-registered", "died during start-up");

        assertThat(store.workers(run)).singleElement().satisfies(w -> {
            assertThat(w.stoppedAt()).isEqualTo(stopped);
            assertThat(w.stopReason()).isEqualTo("idle");
        });
    }

    /** A worker of this run that gave no start time and has not heartbeaten yet. */
    private WorkerRecord worker(String id) {
        return worker(id, run);
    }

    private static WorkerRecord worker(String id, long runId) {
        return new WorkerRecord(id, runId, "host", 1000, null, 250, 1, null, 0, null, null);
    }

    private Instant now() {
        return micros(clock.instant());
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private Instant heartbeatAt(String taskId) {
        return database.dsl().select(Task.HEARTBEAT_AT).from(Task.TABLE).where(Task.TASK_ID.eq(taskId)).fetchSingle()
                .value1();
    }

    /** A table of results of the kind a task writes, in the same database as Astra's state. */
    private org.jooq.Table<?> results() {
        database.dsl().execute("create table if not exists test_results (task_id varchar(200))");
        database.dsl().execute("delete from test_results");
        return DSL.table(DSL.name("test_results"));
    }

    private int resultRows() {
        return database.dsl().fetchCount(DSL.table(DSL.name("test_results")));
    }

    @Test
    void resultsWrittenWithTheDoneRecordCommitWithItAndReleaseTheDependents() {
        var results = results();
        store.writePlan(run, plan().task("A", 0).task("B", 1).edge("B", "A").build());
        store.claim(run, "w").orElseThrow();

        boolean held = store.markDoneWith("A", "w", Duration.ofSeconds(2),
                tx -> tx.insertInto(results).values("A").execute());

        assertThat(held).isTrue();
        assertThat(resultRows()).isEqualTo(1);
        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::attempts)
                .containsExactly(TaskState.DONE, 1);
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isZero();
        assertThat(store.events("A")).last().extracting(TaskEvent::state, TaskEvent::message)
                .containsExactly(TaskState.DONE, "done");
    }

    @Test
    void aWorkerThatLostItsClaimCommitsNoneOfItsResults() {
        var results = results();
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w1").orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.releaseStaleClaims(LEASE, "no heartbeat")).containsExactly("A");
        store.claim(run, "w2").orElseThrow();
        List<String> ran = new ArrayList<>();

        boolean late = store.markDoneWith("A", "w1", null, tx -> {
            ran.add("w1");
            tx.insertInto(results).values("A").execute();
        });
        boolean current = store.markDoneWith("A", "w2", null, tx -> tx.insertInto(results).values("A").execute());

        assertThat(late).as("the frozen worker's transaction").isFalse();
        assertThat(ran).as("its work never ran").isEmpty();
        assertThat(current).isTrue();
        assertThat(resultRows()).as("one row of results, from the worker holding the claim").isEqualTo(1);
        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker, TaskRecord::attempts)
                .containsExactly(TaskState.DONE, "w2", 1);
    }

    @Test
    void workThatThrowsRollsBackItsResultsAndLeavesTheClaim() {
        var results = results();
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w").orElseThrow();

        assertThatThrownBy(() -> store.markDoneWith("A", "w", null, tx -> {
            tx.insertInto(results).values("A").execute();
            throw new IllegalArgumentException("bad flux");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad flux");

        assertThat(resultRows()).isZero();
        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker)
                .containsExactly(TaskState.RUNNING, "w");
        assertThat(store.markFailed("A", "w", "bad flux", null)).as("the failure is recorded as usual").isTrue();
    }

    private String errorDetail(String taskId) {
        return database.dsl().select(Task.ERROR_DETAIL).from(Task.TABLE).where(Task.TASK_ID.eq(taskId)).fetchSingle()
                .value1();
    }
}
