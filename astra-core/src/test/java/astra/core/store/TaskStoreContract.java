package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.junit.jupiter.api.Test;

/**
 * The task store's behaviour, the same on every database: each database has a subclass that
 * says which one ({@link SqliteTaskStoreTest}, {@link PostgresTaskStoreTest}). Copy the pattern
 * for other database-backed tests.
 */
public abstract class TaskStoreContract extends StoreContract {

    @Test
    void diamondReleasesTheBottomOnlyWhenBothMiddlesAreDone() {
        // D requires B and C; B and C require A.
        store.writePlan(run, plan().task("A", 0).task("B", 1, 5).task("C", 1, 1).task("D", 2)
                .edge("B", "A").edge("C", "A").edge("D", "B").edge("D", "C").build());

        assertThat(claimedId("w1")).contains("A");
        assertThat(store.claim(run, "w2")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isTrue();
        assertThat(store.markDone("A", "w1")).isTrue();

        assertThat(claimedId("w1")).contains("B");
        assertThat(claimedId("w2")).contains("C");
        assertThat(store.markDone("B", "w1")).isTrue();
        assertThat(store.claim(run, "w1")).isEmpty();
        assertThat(store.task("D").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.markDone("C", "w2")).isTrue();

        assertThat(claimedId("w1")).contains("D");
        assertThat(store.markDone("D", "w1")).isTrue();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.tasksOfRun(run)).extracting(TaskRecord::state).containsOnly(TaskState.DONE);
        assertThat(store.doneAmong(List.of("A", "B", "C", "D", "E"))).containsExactlyInAnyOrder("A", "B", "C", "D");
    }

    @Test
    void claimsHighestPriorityFirstThenOldest() {
        store.writePlan(run, plan().task("old", 0, 1).build());
        clock.advance(Duration.ofSeconds(1));
        store.writePlan(run, plan().task("new", 0, 1).task("urgent", 0, 9).task("low", 0, -1).build());

        List<String> order = new ArrayList<>();
        for (Optional<ClaimedTask> c = store.claim(run, "w"); c.isPresent(); c = store.claim(run, "w")) {
            order.add(c.get().taskId());
        }
        assertThat(order).containsExactly("urgent", "old", "new", "low");
    }

    @Test
    void claimReturnsWhatRebuildsTheTaskAndCountsAttempts() {
        store.writePlan(run, plan().task("A", 0).build());

        ClaimedTask claimed = store.claim(run, "w1").orElseThrow();

        assertThat(claimed).isEqualTo(new ClaimedTask("A", "Family", "test.A", "{\"id\":\"A\"}", 1));
        TaskRecord row = store.task("A").orElseThrow();
        assertThat(row.state()).isEqualTo(TaskState.RUNNING);
        assertThat(row.worker()).isEqualTo("w1");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.runId()).isEqualTo(run);
    }

    @Test
    void claimsOnlyTasksOfItsOwnRun() {
        long other = store.startRun(new RunInfo("Other_1", "host", 43, "astra run Other"));
        store.writePlan(other, plan().task("theirs", 0).build());

        assertThat(store.claim(run, "w")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.hasWorkLeft(other)).isTrue();
    }

    @Test
    void markDoneByAnotherWorkerChangesNothing() {
        store.writePlan(run, plan().task("A", 0).task("B", 1).edge("B", "A").build());
        store.claim(run, "w1").orElseThrow();
        TaskRecord before = store.task("A").orElseThrow();
        int eventsBefore = store.events("A").size();

        assertThat(store.markDone("A", "w2")).isFalse();
        assertThat(store.markFailed("A", "w2", "boom", "detail")).isFalse();

        assertThat(store.task("A")).contains(before);
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.events("A")).hasSize(eventsBefore);
        assertThat(store.markDone("A", "w1")).isTrue();
        assertThat(store.markDone("A", "w1")).as("a second markDone").isFalse();
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(0);
    }

    @Test
    void markDoneAndClaimRecordsTheTaskAndClaimsTheDependentItReleasedInOneStep() {
        // B requires A; C is ready but of lower priority than B.
        store.writePlan(run, plan().task("A", 0, 5).task("B", 1, 5).task("C", 0, 1).edge("B", "A").build());
        assertThat(claimedId("w1")).contains("A");

        TaskStore.DoneAndNext step = store.markDoneAndClaim("A", "w1", run);

        assertThat(step.recorded()).isTrue();
        assertThat(step.next()).extracting(ClaimedTask::taskId).containsExactly("B");
        assertThat(store.task("A").orElseThrow().state()).isEqualTo(TaskState.DONE);
        assertThat(store.task("B").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker)
                .containsExactly(TaskState.RUNNING, "w1");
        assertThat(store.events("A")).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
        assertThat(store.events("B")).extracting(TaskEvent::state).containsExactly(TaskState.PENDING, TaskState.RUNNING);
        assertThat(store.events("B").get(1).message()).isEqualTo("claimed (attempt 1)");
        assertThat(store.events("B").get(1).at()).isAfterOrEqualTo(store.events("A").get(2).at());

        assertThat(store.markDoneAndClaim("B", "w1", run).next()).extracting(ClaimedTask::taskId).containsExactly("C");
        TaskStore.DoneAndNext last = store.markDoneAndClaim("C", "w1", run);
        assertThat(last.recorded()).isTrue();
        assertThat(last.next()).as("nothing left to claim").isEmpty();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.tasksOfRun(run)).extracting(TaskRecord::state).containsOnly(TaskState.DONE);
    }

    @Test
    void markDoneAndClaimByAWorkerThatLostTheClaimChangesNothingAndClaimsNothing() {
        store.writePlan(run, plan().task("A", 0).task("B", 1).task("other", 0).edge("B", "A").build());
        assertThat(claimedId("w1")).contains("A");

        TaskStore.DoneAndNext step = store.markDoneAndClaim("A", "w2", run);

        assertThat(step.recorded()).isFalse();
        assertThat(step.next()).isEmpty();
        assertThat(store.task("A").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker)
                .containsExactly(TaskState.RUNNING, "w1");
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.task("other").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void markDoneOfAnUnknownTaskIsFalse() {
        assertThat(store.markDone("nope", "w")).isFalse();
        assertThat(store.task("nope")).isEmpty();
    }

    @Test
    void failedTaskKeepsItsErrorAndHoldsBackItsDependents() {
        store.writePlan(run, plan().task("A", 0).task("B", 1).edge("B", "A").build());
        store.claim(run, "w1").orElseThrow();

        assertThat(store.markFailed("A", "w1", "ValueError: bad flux", "Traceback...\nline 2")).isTrue();

        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.FAILED);
        assertThat(a.error()).isEqualTo("ValueError: bad flux");
        assertThat(a.finishedAt()).isNotNull();
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.claim(run, "w1")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.doneAmong(List.of("A"))).isEmpty();
        assertThat(store.events("A")).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.FAILED);
            assertThat(e.message()).isEqualTo("ValueError: bad flux");
            assertThat(e.worker()).isEqualTo("w1");
        });
    }

    @Test
    void outcomesAfterTellSuccessesRetriesAndFailuresInOrderFromACursor() {
        store.writePlan(run, plan().inFamily("Fit").task("A", 0).withRetries(1).task("B", 0).build());
        store.claim(run, "w1").orElseThrow();
        store.markDone("A", "w1");
        store.claim(run, "w1").orElseThrow();
        store.markFailed("B", "w1", "ValueError: bad flux", null);
        store.claim(run, "w1").orElseThrow();
        store.markFailed("B", "w1", "ValueError: still bad", null);

        List<RunEvent> all = store.outcomesAfter(run, 0, true, 100);
        List<RunEvent> failures = store.outcomesAfter(run, 0, false, 100);

        assertThat(all).extracting(RunEvent::taskId, RunEvent::family, RunEvent::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("A", "Fit", RunEvent.Kind.SUCCESS),
                org.assertj.core.groups.Tuple.tuple("B", "Fit", RunEvent.Kind.RETRY),
                org.assertj.core.groups.Tuple.tuple("B", "Fit", RunEvent.Kind.FAILURE));
        assertThat(all).extracting(RunEvent::runId).containsOnly(run);
        assertThat(all.get(2).message()).isEqualTo("ValueError: still bad");
        assertThat(failures).extracting(RunEvent::kind).containsExactly(RunEvent.Kind.RETRY, RunEvent.Kind.FAILURE);
        assertThat(store.outcomesAfter(run, all.get(1).eventId(), true, 100)).extracting(RunEvent::kind)
                .containsExactly(RunEvent.Kind.FAILURE);
        assertThat(store.outcomesAfter(run, 0, true, 1)).hasSize(1);
    }

    @Test
    void eventsTellEachTaskHistoryInOrder() {
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w1").orElseThrow();
        clock.advance(Duration.ofSeconds(3));
        store.markDone("A", "w1");

        List<TaskEvent> events = store.events("A");

        assertThat(events).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
        assertThat(events).extracting(TaskEvent::message).containsExactly("planned", "claimed (attempt 1)", "done");
        assertThat(events).extracting(TaskEvent::runId).containsOnly(run);
        assertThat(events).extracting(TaskEvent::worker).containsExactly(null, "w1", "w1");
        assertThat(events.get(2).at()).isEqualTo(events.get(1).at().plusSeconds(3));
        assertThat(store.events("unknown")).isEmpty();
    }

    /**
     * {@code Finished.now} means "at the recording": a worker delayed between ending its task and
     * the recording's transaction (a loaded machine, a lock) must not backdate the finish by the
     * delay measured against the store's clock (it did, by whole milliseconds, and the round-trip
     * test below failed in CI when a millisecond passed).
     */
    @Test
    void aTaskRecordedAsItEndsFinishesAtTheRecordingHoweverLateItComes() throws Exception {
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w1").orElseThrow();
        TaskStore.Finished finished = TaskStore.Finished.now("A");
        Thread.sleep(5); // the delay itself is what is tested, not a wait for a condition
        clock.advance(Duration.ofMillis(1500));

        store.recordAndClaim(run, "w1", ClaimScope.ALL, List.of(finished), 0);

        assertThat(store.task("A").orElseThrow().finishedAt())
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void timesComeFromTheClockAndSurviveTheRoundTrip() {
        store.writePlan(run, plan().task("A", 0).build());
        store.claim(run, "w1").orElseThrow();
        Instant started = clock.instant();
        clock.advance(Duration.ofMillis(1500));
        store.markDone("A", "w1");

        TaskRecord a = store.task("A").orElseThrow();

        assertThat(a.startedAt()).isEqualTo(Instant.parse("2026-03-04T05:06:07.123456Z"));
        assertThat(a.finishedAt()).isEqualTo(started.plusMillis(1500).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(store.events("A").get(0).at()).isEqualTo(a.startedAt());
    }

    @Test
    void missingTasksAreNeverClaimed() {
        store.writePlan(run, plan().missing("Raw").task("A", 1).edge("A", "Raw").build());

        assertThat(store.claim(run, "w")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.task("Raw").orElseThrow().state()).isEqualTo(TaskState.MISSING);
        assertThat(store.events("Raw")).extracting(TaskEvent::state).containsExactly(TaskState.MISSING);
    }

    @Test
    void replanningResetsFinishedRowsButLeavesRunningOnesAlone() {
        store.writePlan(run, plan().task("Failed", 0).task("Running", 0).task("Done", 0).build());
        // Equal priority and age: claimed in id order.
        assertThat(claimedId("w1")).contains("Done");
        assertThat(claimedId("w2")).contains("Failed");
        assertThat(claimedId("w3")).contains("Running");
        store.markDone("Done", "w1");
        store.markFailed("Failed", "w2", "boom", "detail");
        long next = store.startRun(new RunInfo("Root_1", "host", 42, "astra run Root"));

        // Counts come from the edges: Done now waits for Running, which is still running.
        assertThat(store.writePlan(next,
                        plan().task("Failed", 0, 3).task("Running", 0).task("Done", 1).edge("Done", "Running").build()))
                .as("the planned tasks left to their own run").containsExactly("Running");

        TaskRecord failed = store.task("Failed").orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.PENDING);
        assertThat(failed.runId()).isEqualTo(next);
        assertThat(failed.attempts()).isZero();
        assertThat(failed.error()).isNull();
        assertThat(failed.worker()).isNull();
        assertThat(failed.priority()).isEqualTo(3);
        TaskRecord running = store.task("Running").orElseThrow();
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.worker()).isEqualTo("w3");
        assertThat(running.runId()).isEqualTo(run);
        assertThat(store.events("Running")).filteredOn(e -> "planned".equals(e.message())).hasSize(1);
        assertThat(store.task("Done").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.task("Done").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.markDone("Running", "w3")).as("the running worker still holds its claim").isTrue();
    }

    @Test
    void replanningReplacesATasksOldEdgesAndCountsFromTheEdges() {
        long first = store.startRun(new RunInfo("Root_1", "host", 42, "astra run Root"));
        store.writePlan(first, plan().task("Y", 0).task("Z", 0).task("X", 1).edge("X", "Y").build());
        // Ended: a live run would keep its pending tasks.
        store.finishRun(first, "INTERRUPTED");
        long next = store.startRun(new RunInfo("Root_1", "host", 42, "astra run Root"));

        // The pipeline changed: X now needs Z, not Y; and the planner's count (5) was stale.
        store.writePlan(next, plan().task("Y", 0, 9).task("Z", 0).task("X", 5).edge("X", "Z").build());
        assertThat(store.task("X").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.claim(next, "w1").map(ClaimedTask::taskId)).contains("Y");
        store.markDone("Y", "w1");

        assertThat(store.task("X").orElseThrow().unfinishedDeps()).as("Y is no longer X's requirement").isEqualTo(1);
        assertThat(store.claim(next, "w2").map(ClaimedTask::taskId)).contains("Z");
        store.markDone("Z", "w2");
        assertThat(store.claim(next, "w3").map(ClaimedTask::taskId)).contains("X");
    }

    @Test
    void writePlanIgnoresDuplicateEdgesAndRejectsConflictingDuplicates() {
        store.writePlan(run, plan().task("A", 0).task("B", 1).edge("B", "A").edge("B", "A").build());
        store.writePlan(run, plan().task("B", 1).edge("B", "A").build());
        store.claim(run, "w").orElseThrow();
        store.markDone("A", "w");
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).as("released once").isZero();

        Plan conflicting = plan().task("X", 0).task("X", 1).build();
        assertThatThrownBy(() -> store.writePlan(run, conflicting))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X");
        assertThat(store.task("X")).isEmpty();
    }

    @Test
    void suspendWaitsForNewRequirementsAndDoesNotCountAsAnAttempt() {
        store.writePlan(run, plan().task("T", 0).task("Old", 0).build());
        store.claim(run, "w").orElseThrow();  // Old (id order among equals)
        store.markDone("Old", "w");
        assertThat(store.claim(run, "w").orElseThrow().taskId()).isEqualTo("T");

        boolean suspended = store.suspend("T", "w", run, plan().task("N1", 0).task("N2", 0)
                .edge("T", "N1").edge("T", "N2").edge("T", "Old").build());

        assertThat(suspended).isTrue();
        TaskRecord t = store.task("T").orElseThrow();
        assertThat(t.state()).isEqualTo(TaskState.PENDING);
        assertThat(t.unfinishedDeps()).isEqualTo(2);
        assertThat(t.worker()).isNull();
        assertThat(t.attempts()).isZero();
        assertThat(store.events("T")).last().extracting(TaskEvent::message)
                .isEqualTo("suspended: waiting for 2 new requirement(s)");
        assertThat(store.events("N1")).extracting(TaskEvent::message).containsExactly("planned");

        assertThat(claimedId("w")).contains("N1");
        assertThat(claimedId("w")).contains("N2");
        assertThat(store.claim(run, "w")).isEmpty();
        store.markDone("N1", "w");
        store.markDone("N2", "w");
        ClaimedTask again = store.claim(run, "w").orElseThrow();
        assertThat(again.taskId()).isEqualTo("T");
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void suspendOnAnAlreadyDoneRequirementLeavesTheTaskReady() {
        store.writePlan(run, plan().task("R", 0).task("T", 0, -1).build());
        store.claim(run, "w").orElseThrow();
        store.markDone("R", "w");
        store.claim(run, "w").orElseThrow();

        assertThat(store.suspend("T", "w", run, plan().task("R", 0).edge("T", "R").build())).isTrue();

        assertThat(store.task("R").orElseThrow().state()).as("a done addition stays done").isEqualTo(TaskState.DONE);
        assertThat(store.task("T").orElseThrow().unfinishedDeps()).isZero();
        assertThat(claimedId("w")).contains("T");
    }

    @Test
    void suspendOnARunningRequirementIsReleasedWhenItFinishes() {
        store.writePlan(run, plan().task("R", 0, 9).task("T", 0).build());
        store.claim(run, "other").orElseThrow();  // R
        store.claim(run, "w").orElseThrow();      // T

        assertThat(store.suspend("T", "w", run, plan().task("R", 0).edge("T", "R").build())).isTrue();

        TaskRecord r = store.task("R").orElseThrow();
        assertThat(r.state()).isEqualTo(TaskState.RUNNING);
        assertThat(r.worker()).isEqualTo("other");
        assertThat(store.task("T").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.claim(run, "w")).isEmpty();
        assertThat(store.markDone("R", "other")).isTrue();
        assertThat(claimedId("w")).contains("T");
    }

    @Test
    void suspendRetriesAFailedRequirement() {
        store.writePlan(run, plan().task("R", 0, 9).task("T", 0).build());
        store.claim(run, "w").orElseThrow();
        store.markFailed("R", "w", "boom", "detail");
        store.claim(run, "w").orElseThrow();

        store.suspend("T", "w", run, plan().task("R", 0).edge("T", "R").build());

        assertThat(store.task("R").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.task("T").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(claimedId("w")).contains("R");
    }

    @Test
    void suspendByAWorkerWithoutTheClaimChangesNothing() {
        store.writePlan(run, plan().task("T", 0).build());
        store.claim(run, "w").orElseThrow();

        assertThat(store.suspend("T", "intruder", run, plan().task("N", 0).edge("T", "N").build())).isFalse();

        assertThat(store.task("N")).isEmpty();
        assertThat(store.task("T").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThatThrownBy(() -> store.suspend("T", "w", run, plan().task("N", 0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T");
    }

    @Test
    void doneAmongAsksOnceForEachChunkOfIds() {
        int count = 2 * JooqTaskStore.DONE_CHUNK + 200;
        List<String> ids = IntStream.range(0, count).mapToObj(i -> String.format("T%05d", i)).collect(Collectors.toList());
        Plans plan = plan();
        ids.subList(0, 10).forEach(id -> plan.task(id, 0));
        store.writePlan(run, plan.build());
        for (int i = 0; i < 10; i++) {
            ClaimedTask c = store.claim(run, "w").orElseThrow();
            if (i % 2 == 0) {
                store.markDone(c.taskId(), "w");
            } else {
                store.markFailed(c.taskId(), "w", "x", "x");
            }
        }
        AtomicInteger statements = new AtomicInteger();
        TaskStore counted = new JooqTaskStore(
                () -> database.dsl().configuration().deriveAppending(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        statements.incrementAndGet();
                    }
                }).dsl(),
                StoreDialect.of(database.dialect()), clock, database.outage());
        List<String> withDuplicates = new ArrayList<>(ids);
        withDuplicates.addAll(ids.subList(0, 100));

        Set<String> done = counted.doneAmong(withDuplicates);

        assertThat(statements).hasValue(3);
        assertThat(done).containsExactlyInAnyOrder("T00000", "T00002", "T00004", "T00006", "T00008");
        assertThat(counted.doneAmong(List.of())).isEmpty();
        assertThat(statements).as("no query for no ids").hasValue(3);
        assertThat(store.isDone("T00000")).isTrue();
        assertThat(store.isDone("T00001")).isFalse();
        assertThat(store.isDone("T99999")).isFalse();
        // The ids travel as one bound value (an array, or JSON on SQLite): quotes and the like are data.
        String odd = "Odd_\"quoted\" \\ [1, 2] 'x' é";
        store.writePlan(run, plan().task(odd, 0).build());
        store.markDone(store.claim(run, "w").orElseThrow().taskId(), "w");
        assertThat(store.doneAmong(List.of(odd, "T00001", "T00000"))).containsExactlyInAnyOrder(odd, "T00000");
    }

    /**
     * A plan's rows reach the database as written, whatever they hold: on PostgreSQL each column
     * travels as one text array (a column with one value in every row as one value), on SQLite
     * as a VALUES list, and both must keep quotes, backslashes, braces, commas, line breaks,
     * empty and absent values, and a plan longer than one statement.
     */
    @Test
    void aPlanKeepsEveryValueAsWritten() {
        List<String> awkward = List.of("{\"s\":\"a \\\"quoted\\\" {x, y}\"}", "{\"s\":\"line\\nbreak, é ☃\"}",
                "{}", "{\"s\":\"NULL\"}", "{\"s\":\"\"}");
        int n = 12_345;
        List<Plan.PlannedTask> tasks = new ArrayList<>();
        List<Plan.Edge> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("T%05d", i);
            TaskPolicy policy = TaskPolicy.DEFAULT.withPriority(i % 3 - 1).withRetries(i % 2, Duration.ofMillis(i))
                    .withBatch(i % 5 == 0 ? null : "key,\"" + (i % 4) + "\"", i % 5 == 0 ? 1 : 7);
            tasks.add(new Plan.PlannedTask(id, "Fam'ily", "test.C" + (i % 2), awkward.get(i % awkward.size()),
                    TaskState.PENDING, 0, policy));
            if (i > 0 && i % 1000 == 0) {
                edges.add(new Plan.Edge(id, String.format("T%05d", i - 1)));
            }
        }
        tasks.add(new Plan.PlannedTask("Missing \\ one", "External", "test.E", "{}", TaskState.MISSING, 0,
                TaskPolicy.DEFAULT));
        store.writePlan(run, new Plan(tasks, edges));

        List<TaskRecord> rows = store.tasksOfRun(run);
        assertThat(rows).hasSize(n + 1);
        for (TaskRecord row : rows) {
            if (row.taskId().equals("Missing \\ one")) {
                assertThat(row.state()).isEqualTo(TaskState.MISSING);
                assertThat(row.family()).isEqualTo("External");
                continue;
            }
            int i = Integer.parseInt(row.taskId().substring(1));
            assertThat(row.paramsJson()).isEqualTo(awkward.get(i % awkward.size()));
            assertThat(row.family()).isEqualTo("Fam'ily");
            assertThat(row.className()).isEqualTo("test.C" + (i % 2));
            assertThat(row.priority()).isEqualTo(i % 3 - 1);
            assertThat(row.state()).isEqualTo(TaskState.PENDING);
            assertThat(row.unfinishedDeps()).as("edges of %s", row.taskId()).isEqualTo(i > 0 && i % 1000 == 0 ? 1 : 0);
            assertThat(row.runId()).isEqualTo(run);
        }
        var policy = database.dsl().select(AstraTables.Task.RETRIES, AstraTables.Task.RETRY_DELAY_MS,
                        AstraTables.Task.BATCH_KEY, AstraTables.Task.BATCH_SIZE, AstraTables.Task.CREATED_AT)
                .from(AstraTables.Task.TABLE).where(AstraTables.Task.TASK_ID.in("T00005", "T00006", "T12343")).orderBy(AstraTables.Task.TASK_ID)
                .fetch();
        assertThat(policy.getValues(AstraTables.Task.RETRIES)).containsExactly(1, 0, 1);
        assertThat(policy.getValues(AstraTables.Task.RETRY_DELAY_MS)).containsExactly(5L, 6L, 12343L);
        assertThat(policy.getValues(AstraTables.Task.BATCH_KEY)).containsExactly(null, "key,\"2\"", "key,\"3\"");
        assertThat(policy.getValues(AstraTables.Task.BATCH_SIZE)).containsExactly(1, 7, 7);
        Instant planned = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        assertThat(policy.getValues(AstraTables.Task.CREATED_AT)).containsOnly(planned);
        assertThat(store.events("T00007")).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("planned");
            assertThat(e.state()).isEqualTo(TaskState.PENDING);
            assertThat(e.runId()).isEqualTo(run);
            assertThat(e.at()).isEqualTo(planned);
            assertThat(e.worker()).isNull();
        });
        assertThat(store.eventsOfRun(run)).hasSize(n + 1);
    }

    @Test
    void runsRecordHowTheyEnded() {
        clock.advance(Duration.ofMinutes(2));
        store.finishRun(run, "SUCCESS");

        var row = database.dsl().select(AstraTables.Run.OUTCOME, AstraTables.Run.STARTED_AT, AstraTables.Run.FINISHED_AT,
                        AstraTables.Run.ROOT_TASK_IDS, AstraTables.Run.PID)
                .from(AstraTables.Run.TABLE).where(AstraTables.Run.RUN_ID.eq(run)).fetchOne();
        assertThat(row.value1()).isEqualTo("SUCCESS");
        assertThat(row.value3()).isEqualTo(row.value2().plus(Duration.ofMinutes(2)));
        assertThat(row.value4()).isEqualTo("Root_1");
        assertThat(row.value5()).isEqualTo(42L);
        assertThat(store.startRun(new RunInfo("x", "h", 1, "c"))).isGreaterThan(run);
        assertThatThrownBy(() -> store.finishRun(run + 1000, "SUCCESS")).isInstanceOf(IllegalArgumentException.class);
    }

    private Optional<String> claimedId(String worker) {
        return store.claim(run, worker).map(ClaimedTask::taskId);
    }
}
