package astra.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.ExternalTask;
import astra.core.SetCompleteTask;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.WrapperTask;
import astra.plan.BuildGraphTest.DoneSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walk's use of {@link SetCompleteTask#completeEach}: a family's tasks asked in chunks, the
 * answers used, and a hook that throws or answers badly failing only the tasks it was asked about.
 */
class SetCompletionTest {

    /** The ids of the complete spectra, and the calls: the size of each chunk and its thread. */
    static final Set<Integer> DONE = ConcurrentHashMap.newKeySet();
    static final List<Integer> CHUNKS = new CopyOnWriteArrayList<>();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    record Spectrum(int id) implements SetCompleteTask<Spectrum> {
        @Override
        public List<Boolean> completeEach(List<Spectrum> tasks) {
            CHUNKS.add(tasks.size());
            THREADS.add(Thread.currentThread().getName());
            return tasks.stream().map(t -> DONE.contains(t.id())).toList();
        }

        @Override
        public boolean complete() {
            throw new AssertionError("the walk must ask completeEach, not complete()");
        }

        @Override
        public List<Task> requires() {
            if (DONE.contains(id)) {
                throw new AssertionError("the requirements of a complete task must not be expanded");
            }
            return List.of();
        }

        @Override
        public void run(TaskContext ctx) {}
    }

    /** Answers one task too few. */
    record ShortAnswer(int id) implements SetCompleteTask<ShortAnswer> {
        @Override
        public List<Boolean> completeEach(List<ShortAnswer> tasks) {
            return tasks.stream().skip(1).map(t -> true).toList();
        }

        @Override
        public void run(TaskContext ctx) {}
    }

    /** Answers null for task 2 and true for the others. */
    record NullForTwo(int id) implements SetCompleteTask<NullForTwo> {
        @Override
        public List<Boolean> completeEach(List<NullForTwo> tasks) {
            List<Boolean> answers = new ArrayList<>();
            tasks.forEach(t -> answers.add(t.id() == 2 ? null : true));
            return answers;
        }

        @Override
        public void run(TaskContext ctx) {}
    }

    /** Throws for a chunk that holds task 7; answers false otherwise. */
    record ThrowsForSeven(int id) implements SetCompleteTask<ThrowsForSeven> {
        @Override
        public List<Boolean> completeEach(List<ThrowsForSeven> tasks) {
            if (tasks.contains(new ThrowsForSeven(7))) {
                throw new IllegalStateException("results table offline");
            }
            return tasks.stream().map(t -> false).toList();
        }

        @Override
        public void run(TaskContext ctx) {}
    }

    /** Returns null instead of a list. */
    record NoList(int id) implements SetCompleteTask<NoList> {
        @Override
        public List<Boolean> completeEach(List<NoList> tasks) {
            return null;
        }

        @Override
        public void run(TaskContext ctx) {}
    }

    /** Data made elsewhere, found by a set query: never found here. */
    record Frames(int id) implements SetCompleteTask<Frames>, ExternalTask {
        @Override
        public List<Boolean> completeEach(List<Frames> tasks) {
            return tasks.stream().map(t -> false).toList();
        }
    }

    /** Needs the given tasks. */
    record Needs(String name, List<Integer> spectra, int others) implements WrapperTask {
        @Override
        public List<Task> requires() {
            Stream<Task> s = spectra.stream().map(Spectrum::new);
            Stream<Task> o = IntStream.range(0, others).boxed().flatMap(i -> Stream.<Task>of(
                    new ShortAnswer(i), new NullForTwo(i), new ThrowsForSeven(i), new NoList(i), new Frames(i)));
            return Stream.concat(s, o).toList();
        }
    }

    @BeforeEach
    void clear() {
        DONE.clear();
        CHUNKS.clear();
        THREADS.clear();
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static TaskGraph walk(CompletionChecks checks, Task root) throws InterruptedException {
        try (checks) {
            return new BuildGraph(new DoneSet().store(), checks).from(List.of(root));
        }
    }

    private static NodeStatus status(TaskGraph graph, Task task) {
        return graph.node(Tasks.id(task)).status();
    }

    @Test
    void aFamilyIsAskedInChunksOfAtMostAThousandAndTheAnswersAreUsed() throws Exception {
        IntStream.range(0, 2_500).filter(i -> i % 3 == 0).forEach(DONE::add);

        TaskGraph graph = walk(CompletionChecks.serial(), new Needs("all", upTo(2_500), 0));

        assertThat(CHUNKS).containsExactly(1_000, 1_000, 500);
        for (int i = 0; i < 2_500; i++) {
            assertThat(status(graph, new Spectrum(i))).as("spectrum " + i)
                    .isEqualTo(i % 3 == 0 ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE);
        }
        assertThat(Plans.of(graph).tasks()).filteredOn(t -> t.family().equals("Spectrum")).hasSize(2_500 - 834);
    }

    @Test
    void withParallelSchedulingTheChunksGoToThePool() throws Exception {
        IntStream.range(0, 1_050).filter(i -> i % 2 == 0).forEach(DONE::add);

        TaskGraph graph = walk(CompletionChecks.parallel(3, 100), new Needs("all", upTo(1_050), 0));

        assertThat(CHUNKS).hasSize(11).allMatch(size -> size <= 100);
        assertThat(CHUNKS.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_050);
        assertThat(THREADS).allMatch(name -> name.startsWith("astra-complete"));
        assertThat(graph.count(NodeStatus.COMPLETE)).isEqualTo(525);
        assertThat(graph.count(NodeStatus.INCOMPLETE)).isEqualTo(525 + 1);
    }

    @Test
    void aHookThatThrowsOrAnswersBadlyFailsTheTasksItWasAskedAboutAndNoOthers() throws Exception {
        DONE.addAll(List.of(0, 1));

        TaskGraph graph = walk(CompletionChecks.serial(5), new Needs("mixed", upTo(3), 10));

        assertThat(status(graph, new Spectrum(0))).isEqualTo(NodeStatus.COMPLETE);
        assertThat(status(graph, new Spectrum(2))).isEqualTo(NodeStatus.INCOMPLETE);
        for (int i = 0; i < 10; i++) {
            assertThat(graph.node(Tasks.id(new ShortAnswer(i))).error())
                    .isEqualTo("completeEach() gave 4 answer(s) (asked about 5 task(s) of ShortAnswer at once):"
                            + " it must give one answer per task, in order");
            assertThat(graph.node(Tasks.id(new NoList(i))).error()).startsWith("completeEach() gave null (asked about 5");
            assertThat(status(graph, new Frames(i))).isEqualTo(NodeStatus.MISSING);
        }
        assertThat(status(graph, new NullForTwo(1))).isEqualTo(NodeStatus.COMPLETE);
        assertThat(graph.node(Tasks.id(new NullForTwo(2))).error())
                .isEqualTo("completeEach() gave no answer (null) for this task (asked about 5 task(s) of NullForTwo at once)");
        assertThat(graph.count(NodeStatus.ERROR)).as("ShortAnswer and NoList ×10, NullForTwo 2, ThrowsForSeven 5–9")
                .isEqualTo(10 + 10 + 1 + 5);
        for (int i = 0; i < 10; i++) {
            TaskNode node = graph.node(Tasks.id(new ThrowsForSeven(i)));
            if (i < 5) {
                assertThat(node.status()).as("the other chunk of the family").isEqualTo(NodeStatus.INCOMPLETE);
            } else {
                assertThat(node.error()).isEqualTo("completeEach() threw IllegalStateException: results table offline"
                        + " (asked about 5 task(s) of ThrowsForSeven at once)");
            }
        }
    }

    @Test
    void theDefaultCompleteOfOneTaskAsksCompleteEachAboutIt() {
        record Even(int id) implements SetCompleteTask<Even> {
            @Override
            public List<Boolean> completeEach(List<Even> tasks) {
                return tasks.stream().map(t -> t.id() % 2 == 0).toList();
            }

            @Override
            public void run(TaskContext ctx) {}
        }
        assertThat(new Even(4).complete()).isTrue();
        assertThat(new Even(5).complete()).isFalse();
        assertThrows(IllegalStateException.class, () -> new ShortAnswer(1).complete());
    }
}
