package astra.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounded, paged queries of {@code astra ui} ({@link StoreBrowser}); one subclass per database. */
public abstract class StoreBrowserContract extends StoreContract {

    private static Plan.PlannedTask task(String id, String family, String params) {
        return new Plan.PlannedTask(id, family, "test." + family, params, TaskState.PENDING, 0, TaskPolicy.DEFAULT);
    }

    /** Star_01..Star_10 with field 42 or 43 (odd, even) and star n; Wide requires all of them. */
    private void planStars() {
        List<Plan.PlannedTask> tasks = new ArrayList<>();
        List<Plan.Edge> edges = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String id = String.format("Star_%02d", i);
            tasks.add(task(id, "Star", "{\"field\":" + (i % 2 == 1 ? 42 : 43) + ",\"star\":" + i + ",\"name\":\"s_" + i + "\"}"));
            edges.add(new Plan.Edge("Wide", id));
        }
        tasks.add(new Plan.PlannedTask("Wide", "Wide", "test.Wide", "{}", TaskState.PENDING, 10, TaskPolicy.DEFAULT));
        store.writePlan(run, new Plan(tasks, edges));
    }

    private static List<String> ids(StoreBrowser.TaskPage page) {
        return page.tasks().stream().map(TaskRecord::taskId).toList();
    }

    @Test
    void tasksArePagedByIdAfterTheLastOneShown() {
        planStars();
        StoreBrowser browse = store.browser();

        StoreBrowser.TaskPage first = browse.tasks(new TaskFilter("Star", null, run), null, null, null, 4);
        assertThat(ids(first)).containsExactly("Star_01", "Star_02", "Star_03", "Star_04");
        assertThat(first.nextAfter()).isEqualTo("Star_04");
        StoreBrowser.TaskPage last = browse.tasks(new TaskFilter("Star", null, run), null, null, "Star_08", 4);
        assertThat(ids(last)).containsExactly("Star_09", "Star_10");
        assertThat(last.nextAfter()).isNull();
        assertThat(last.searchedTo()).isNull();
    }

    @Test
    void aParameterMatchesItsJsonValueExactly() {
        planStars();
        StoreBrowser browse = store.browser();
        TaskFilter stars = new TaskFilter("Star", null, run);

        assertThat(ids(browse.tasks(stars, "star", "1", null, 100))).containsExactly("Star_01");
        assertThat(ids(browse.tasks(stars, "field", "43", null, 100)))
                .containsExactly("Star_02", "Star_04", "Star_06", "Star_08", "Star_10");
        assertThat(ids(browse.tasks(stars, "name", "s_3", null, 100))).containsExactly("Star_03");
        assertThat(ids(browse.tasks(stars, "name", "s%", null, 100))).isEmpty();
        assertThat(ids(browse.tasks(stars, "name", "s!3", null, 100))).isEmpty();
        assertThat(ids(browse.tasks(stars, "fiel", "42", null, 100))).isEmpty();
    }

    @Test
    void aSearchByParameterLooksAtOneWindowOfRowsAtATime() {
        planStars();
        StoreBrowser browse = store.browser().withSearchWindow(4);
        TaskFilter stars = new TaskFilter("Star", null, run);

        StoreBrowser.TaskPage first = browse.tasks(stars, "star", "7", null, 100);
        assertThat(ids(first)).isEmpty();
        assertThat(first.searchedTo()).isEqualTo("Star_04");
        assertThat(first.nextAfter()).isEqualTo("Star_04");
        StoreBrowser.TaskPage second = browse.tasks(stars, "star", "7", first.nextAfter(), 100);
        assertThat(ids(second)).containsExactly("Star_07");
        assertThat(second.searchedTo()).isEqualTo("Star_08");
        StoreBrowser.TaskPage third = browse.tasks(stars, "star", "7", second.nextAfter(), 100);
        assertThat(ids(third)).isEmpty();
        assertThat(third.nextAfter()).isNull();
        assertThat(third.searchedTo()).isNull();
        // a page filled within the window goes on after its last task
        StoreBrowser.TaskPage full = browse.tasks(stars, "field", "42", null, 1);
        assertThat(ids(full)).containsExactly("Star_01");
        assertThat(full.nextAfter()).isEqualTo("Star_01");
        assertThat(full.searchedTo()).isNull();
    }

    @Test
    void edgesAreCountedUpToALimit() {
        planStars();

        StoreBrowser.EdgeCounts wide = store.browser().edgeCounts("Wide", 5);
        assertThat(wide.requirements()).isEqualTo(6);
        assertThat(wide.requirementsCapped()).isTrue();
        assertThat(wide.dependents()).isZero();
        StoreBrowser.EdgeCounts star = store.browser().edgeCounts("Star_03", 5);
        assertThat(star.dependents()).isEqualTo(1);
        assertThat(star.dependentsCapped()).isFalse();
        assertThat(store.browser().requirementsOf("Wide", 3)).containsExactly("Star_01", "Star_02", "Star_03");
        assertThat(store.browser().dependentsOf("Star_03", 3)).containsExactly("Wide");
    }

    @Test
    void runsComeNewestFirstWithTheirCountsByState() {
        planStars();
        store.claim(run, "w").orElseThrow();
        long second = store.startRun(new RunInfo("Other", "host", 43, "astra run Other"));

        assertThat(store.browser().runs(null, 1)).extracting(RunRecord::runId).containsExactly(second);
        assertThat(store.browser().runs(second, 10)).extracting(RunRecord::runId).containsExactly(run);
        Map<Long, Map<TaskState, Long>> counts = store.browser().stateCounts(List.of(run, second));
        assertThat(counts.get(run)).containsExactlyInAnyOrderEntriesOf(
                Map.of(TaskState.RUNNING, 1L, TaskState.PENDING, 10L));
        assertThat(counts).doesNotContainKey(second);
        assertThatThrownBy(() -> store.browser().runs(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failuresAreGroupedByErrorLargestFirst() {
        planStars();
        for (int i = 0; i < 3; i++) {
            String id = store.claim(run, "w").orElseThrow().taskId();
            store.markFailed(id, "w", i < 2 ? "IOException: bad flux" : "timed out", "detail");
        }

        List<StoreBrowser.ErrorGroup> groups = store.browser().failures(run, 10, 1);
        assertThat(groups).extracting(StoreBrowser.ErrorGroup::error).containsExactly("IOException: bad flux", "timed out");
        assertThat(groups.get(0).count()).isEqualTo(2);
        assertThat(groups.get(0).taskIds()).containsExactly("Star_01");
        assertThat(store.browser().sampleOf(run, "Star", 3)).hasSize(3).allMatch(id -> id.startsWith("Star_"));
    }
}
