package astra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.WrapperTask;
import astra.core.store.Plan;
import astra.core.store.TaskStore;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The walk's use of the task table, on a store that only answers "which of these are done":
 * completion of default tasks is asked once per level of the graph, never per task.
 */
class BuildGraphTest {

    record Leaf(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {}
    }

    /** A wrapper over {@code size} leaves named {@code prefix0}, {@code prefix1}, ... */
    record Group(String prefix, int size) implements WrapperTask {
        @Override
        public List<Leaf> requires() {
            return IntStream.range(0, size).mapToObj(i -> new Leaf(prefix + i)).toList();
        }
    }

    /** Answers doneAmong from a set and counts the calls; any other call fails the test. */
    static final class DoneSet {
        final Set<String> done = new HashSet<>();
        final List<Integer> doneAmongSizes = new ArrayList<>();

        @SuppressWarnings("unchecked")
        TaskStore store() {
            return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("doneAmong")) {
                            throw new AssertionError("the walk must only ask doneAmong, not " + method.getName());
                        }
                        Collection<String> ids = (Collection<String>) args[0];
                        doneAmongSizes.add(ids.size());
                        Set<String> found = new HashSet<>(ids);
                        found.retainAll(done);
                        return found;
                    });
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
        group.requires().forEach(leaf -> store.done.add(Tasks.id(leaf)));

        TaskGraph graph = walk(store.store(), group);

        assertThat(store.doneAmongSizes).containsExactly(10_000);
        assertThat(graph.size()).isEqualTo(10_001);
        assertThat(graph.count(NodeStatus.COMPLETE)).isEqualTo(10_001);
    }

    @Test
    void onlyTheIncompleteTasksOfALevelAreExpanded() throws Exception {
        DoneSet store = new DoneSet();
        store.done.add(Tasks.id(new Leaf("leaf3")));

        TaskGraph graph = walk(store.store(), new Group("leaf", 5), new Leaf("other"));

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
            public void run(TaskContext ctx) {}
        }
        TaskGraph graph = walk(new DoneSet().store(), new Twice());

        assertThat(graph.size()).isEqualTo(2);
        assertThat(Plans.of(graph).edges()).hasSize(1);
        assertThat(Plans.of(graph).tasks()).filteredOn(t -> t.family().equals("Twice"))
                .singleElement().extracting(Plan.PlannedTask::unfinishedDeps).isEqualTo(1);
    }
}
