package astra.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code astra status}, {@code reset} and {@code disable} ask of the task store: counts and
 * rows by filter, dependents, resetting, disabled families; one subclass per database.
 */
public abstract class OperationsStoreContract extends StoreContract {

    @Override
    Instant start() {
        return Instant.parse("2026-03-04T05:06:07.123456Z");
    }

    @Override
    RunInfo firstRun() {
        return new RunInfo("C", "host", 42, "astra run C");
    }

    static Plan.PlannedTask task(String id, String family, int unfinished) {
        return new Plan.PlannedTask(id, family, "test." + family, "{\"id\":\"" + id + "\"}", TaskState.PENDING,
                unfinished, 0);
    }

    /** A and B (family Fit) feed C (family Sum); A is done. */
    void planChain() {
        store.writePlan(run, new Plan(List.of(task("A", "Fit", 0), task("B", "Fit", 0), task("C", "Sum", 2)),
                List.of(new Plan.Edge("C", "A"), new Plan.Edge("C", "B"))));
        assertThat(store.claim(run, "w").orElseThrow().taskId()).isIn("A", "B");
    }

    @Test
    void countsAreGroupedByFamilyAndStateAndFiltered() {
        planChain();

        assertThat(store.countTasks(TaskFilter.ALL)).containsExactly(
                new StateCount("Fit", TaskState.PENDING, 1), new StateCount("Fit", TaskState.RUNNING, 1),
                new StateCount("Sum", TaskState.PENDING, 1));
        assertThat(store.countTasks(new TaskFilter("Fit", TaskState.PENDING, run)))
                .containsExactly(new StateCount("Fit", TaskState.PENDING, 1));
        assertThat(store.countTasks(new TaskFilter(null, null, run + 1))).isEmpty();
        assertThat(store.families()).containsExactly("Fit", "Sum");
    }

    @Test
    void rowsComeMostRecentlyChangedFirstUpToTheLimit() {
        planChain();
        clock.advance(java.time.Duration.ofSeconds(1));
        String claimed = store.claim(run, "w").orElseThrow().taskId();

        assertThat(store.findTasks(TaskFilter.ALL, 1)).extracting(TaskRecord::taskId).containsExactly(claimed);
        assertThat(store.findTasks(new TaskFilter("Sum", null, null), 10)).extracting(TaskRecord::taskId)
                .containsExactly("C");
    }

    @Test
    void theLatestRunIsTheLastStarted() {
        long second = store.startRun(new RunInfo("D", "host", 43, "astra run D"));

        assertThat(store.latestRun()).map(RunRecord::runId).contains(second);
    }

    @Test
    void dependentsAreFoundTransitively() {
        store.writePlan(run, new Plan(List.of(task("A", "F", 0), task("B", "F", 1), task("C", "F", 1),
                task("D", "G", 0)), List.of(new Plan.Edge("B", "A"), new Plan.Edge("C", "B"))));

        assertThat(store.dependentsOf(List.of("A"))).containsExactly("B", "C");
        assertThat(store.dependentsOf(List.of("D"))).isEmpty();
    }

    @Test
    void aResetTaskIsPendingInNoRunAndItsDependentsWaitForIt() {
        store.writePlan(run, new Plan(List.of(task("A", "F", 0), task("B", "F", 1)), List.of(new Plan.Edge("B", "A"))));
        store.claim(run, "w").orElseThrow();
        store.markDone("A", "w");
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isZero();

        assertThat(store.reset(List.of("A"), "ann")).containsExactly("A");

        TaskRecord a = store.task("A").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.PENDING);
        assertThat(a.runId()).isNull();
        assertThat(a.attempts()).isZero();
        assertThat(store.isDone("A")).isFalse();
        assertThat(store.task("B").orElseThrow().unfinishedDeps()).isEqualTo(1);
        assertThat(store.events("A")).last().extracting(TaskEvent::state, TaskEvent::message)
                .containsExactly(TaskState.PENDING, "reset by ann");
        assertThat(store.claim(run, "w")).as("no run owns it until one plans it").isEmpty();
    }

    @Test
    void aRunningTaskIsNotReset() {
        store.writePlan(run, new Plan(List.of(task("A", "F", 0), task("B", "F", 0)), List.of()));
        String running = store.claim(run, "w").orElseThrow().taskId();

        assertThat(store.reset(List.of("A", "B", "nobody"), "ann")).doesNotContain(running).hasSize(1);
        assertThat(store.task(running).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void aDisabledFamilyIsNotClaimedAndIsNoWorkLeft() {
        store.writePlan(run, new Plan(List.of(task("A", "Fit", 0)), List.of()));

        assertThat(store.disableFamily("Fit", "ann")).isTrue();
        assertThat(store.disableFamily("Fit", "bob")).as("the first record stands").isFalse();

        assertThat(store.claim(run, "w")).isEmpty();
        assertThat(store.hasWorkLeft(run)).isFalse();
        assertThat(store.disabledFamilies()).singleElement().satisfies(d -> {
            assertThat(d.family()).isEqualTo("Fit");
            assertThat(d.by()).isEqualTo("ann");
            assertThat(d.since()).isEqualTo(Instant.parse("2026-03-04T05:06:07.123456Z"));
        });

        assertThat(store.enableFamily("Fit")).isTrue();
        assertThat(store.enableFamily("Fit")).isFalse();
        assertThat(store.disabledFamilies()).isEmpty();
        assertThat(store.claim(run, "w")).map(ClaimedTask::taskId).contains("A");
    }
}
