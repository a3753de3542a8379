package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.db.ClaimedTask;
import astra.core.db.Plan;
import astra.core.db.RunInfo;
import astra.core.db.RunRecord;
import astra.core.db.TaskEvent;
import astra.core.db.TaskRecord;
import astra.core.db.TaskStore;
import astra.scheduler.Fixtures.Group;
import astra.scheduler.Fixtures.Leaf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The walk's use of the task table, on a store that only answers "which of these are done":
 * completion of default tasks is asked once per level of the graph, never per task.
 */
class BuildGraphTest {

    /** Answers doneAmong from a set and counts the calls; any other call fails the test. */
    static final class DoneSet implements TaskStore {
        final Set<String> done = new HashSet<>();
        final List<Integer> doneAmongSizes = new ArrayList<>();

        @Override
        public Set<String> doneAmong(Collection<String> ids) {
            doneAmongSizes.add(ids.size());
            Set<String> found = new HashSet<>(ids);
            found.retainAll(done);
            return found;
        }

        @Override
        public boolean isDone(String taskId) {
            throw new AssertionError("the walk must not ask task by task");
        }

        @Override
        public long startRun(RunInfo info) {
            throw new AssertionError();
        }

        @Override
        public void finishRun(long runId, String outcome) {
            throw new AssertionError();
        }

        @Override
        public List<RunRecord> unfinishedRuns() {
            throw new AssertionError();
        }

        @Override
        public int abandonRun(long runId, String reason) {
            throw new AssertionError();
        }

        @Override
        public void writePlan(long runId, Plan plan) {
            throw new AssertionError();
        }

        @Override
        public Optional<ClaimedTask> claim(long runId, String workerId) {
            throw new AssertionError();
        }

        @Override
        public boolean markDone(String taskId, String workerId) {
            throw new AssertionError();
        }

        @Override
        public boolean markFailed(String taskId, String workerId, String error, String detail) {
            throw new AssertionError();
        }

        @Override
        public boolean suspend(String taskId, String workerId, long runId, Plan additions) {
            throw new AssertionError();
        }

        @Override
        public boolean hasWorkLeft(long runId) {
            throw new AssertionError();
        }

        @Override
        public List<TaskRecord> tasksOfRun(long runId) {
            throw new AssertionError();
        }

        @Override
        public Optional<TaskRecord> task(String taskId) {
            throw new AssertionError();
        }

        @Override
        public List<TaskEvent> events(String taskId) {
            throw new AssertionError();
        }
    }

    static TaskGraph walk(TaskStore store, Task... roots) throws InterruptedException {
        try (CompletionChecks checks = CompletionChecks.serial()) {
            return new BuildGraph(store, checks).from(List.of(roots));
        }
    }

    @Test
    void tenThousandDefaultTasksAreCheckedInOneCallForTheirLevel() throws Exception {
        DoneSet store = new DoneSet();
        Group group = new Group("leaf", 10_000);
        group.requires().forEach(leaf -> store.done.add(astra.core.Tasks.id(leaf)));

        TaskGraph graph = walk(store, group);

        assertThat(store.doneAmongSizes).containsExactly(10_000);
        assertThat(graph.size()).isEqualTo(10_001);
        assertThat(graph.count(NodeStatus.COMPLETE)).isEqualTo(10_001);
    }

    @Test
    void onlyTheIncompleteTasksOfALevelAreExpanded() throws Exception {
        DoneSet store = new DoneSet();
        store.done.add(astra.core.Tasks.id(new Leaf("leaf3")));

        TaskGraph graph = walk(store, new Group("leaf", 5), new Leaf("other"));

        // Level 1: the wrapper (derived) and one leaf; level 2: the five leaves it needs.
        assertThat(store.doneAmongSizes).containsExactly(1, 5);
        assertThat(graph.count(NodeStatus.COMPLETE)).isEqualTo(1);
        assertThat(graph.count(NodeStatus.INCOMPLETE)).isEqualTo(6);
    }

    @Test
    void aTaskRequiredTwiceIsOneRequirement() throws Exception {
        record Twice() implements Task {
            @Override
            public List<Leaf> requires() {
                return List.of(new Leaf("same"), new Leaf("same"));
            }

            @Override
            public void run(astra.core.TaskContext ctx) {}
        }
        TaskGraph graph = walk(new DoneSet(), new Twice());

        assertThat(graph.size()).isEqualTo(2);
        assertThat(Plans.of(graph).edges()).hasSize(1);
        assertThat(Plans.of(graph).tasks()).filteredOn(t -> t.family().equals("Twice"))
                .singleElement().extracting(Plan.PlannedTask::unfinishedDeps).isEqualTo(1);
    }
}
