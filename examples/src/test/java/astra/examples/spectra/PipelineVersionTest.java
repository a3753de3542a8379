package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.Visibility;
import astra.core.params.ParamSpec;
import astra.core.params.TaskSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hidden {@code pipelineVersion}: one per run, passed down, and in every task id. */
class PipelineVersionTest {

    private static final List<Class<? extends Task>> FAMILIES = List.of(ProcessField.class, SummarizeField.class,
            EstimateLabels.class, ContinuumNormalize.class, SyntheticSpectrum.class);

    /** The root as astra run builds it: command line, then the [ProcessField] section, then defaults. */
    private static Task root(Map<String, String> cli, Map<String, String> config) {
        Map<String, String> args = new LinkedHashMap<>(Map.of("field", "42", "n-stars", "3"));
        args.putAll(cli);
        Map<String, String> section = new LinkedHashMap<>(Map.of("release", "dr17"));
        section.putAll(config);
        return TaskSchema.of(ProcessField.class).build(args, section);
    }

    /** Every task of the graph, the root first, by walking requires(). */
    private static List<Task> graph(Task root) {
        List<Task> tasks = new ArrayList<>(List.of(root));
        for (int i = 0; i < tasks.size(); i++) {
            for (Task t : tasks.get(i).requires()) {
                if (!tasks.contains(t)) {
                    tasks.add(t);
                }
            }
        }
        return tasks;
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Tasks::id).toList();
    }

    /** The id without its hash: what a user reads. */
    private static String readable(String id) {
        return id.substring(0, id.lastIndexOf('_'));
    }

    @Test
    void majorMinorIsTheStartOfTheVersion() {
        assertThat(Pipeline.VERSION).startsWith(Pipeline.MAJOR_MINOR + ".");
        assertThat(Pipeline.VERSION.split("\\.")).hasSize(3);
    }

    @Test
    void everyFamilyHasAHiddenSignificantVersionDefaultingToMajorMinor() {
        for (Class<? extends Task> family : FAMILIES) {
            ParamSpec version = TaskSchema.of(family).param("pipelineVersion").orElseThrow();
            assertThat(version.visibility()).as(family.getSimpleName()).isEqualTo(Visibility.HIDDEN);
            assertThat(version.significant()).as(family.getSimpleName()).isTrue();
            assertThat(version.defaultValue()).as(family.getSimpleName()).contains(Pipeline.MAJOR_MINOR);
        }
    }

    @Test
    void everyTaskOfARunSharesTheRootsVersion() {
        List<Task> tasks = graph(root(Map.of("pipeline-version", "1.1"), Map.of()));

        assertThat(tasks).hasSize(1 + 1 + 3 * 3);
        for (Task t : tasks) {
            assertThat(TaskSchema.of(t.getClass()).values(t)).as(Tasks.id(t)).containsEntry("pipelineVersion", "1.1");
        }
        assertThat(graph(root(Map.of(), Map.of()))).allSatisfy(t ->
                assertThat(TaskSchema.of(t.getClass()).values(t)).containsEntry("pipelineVersion", Pipeline.MAJOR_MINOR));
    }

    @Test
    void anotherVersionGivesEveryTaskOfTheGraphANewIdWithTheSameReadablePart() {
        List<String> current = ids(graph(root(Map.of(), Map.of())));
        List<String> fromConfig = ids(graph(root(Map.of(), Map.of("pipeline_version", "1.1"))));
        List<String> fromCli = ids(graph(root(Map.of("pipeline-version", "2.0"), Map.of("pipeline_version", "1.1"))));

        assertThat(current).hasSize(11).doesNotHaveDuplicates();
        assertThat(fromConfig).hasSize(11).doesNotContainAnyElementsOf(current);
        assertThat(fromCli).hasSize(11).doesNotContainAnyElementsOf(current).doesNotContainAnyElementsOf(fromConfig);
        assertThat(fromConfig.stream().map(PipelineVersionTest::readable))
                .containsExactlyElementsOf(current.stream().map(PipelineVersionTest::readable).toList());
        assertThat(current.get(0)).startsWith("ProcessField_dr17_42_3_");
    }

    @Test
    void theSameVersionGivesTheSameIds() {
        assertThat(ids(graph(root(Map.of("pipeline-version", Pipeline.MAJOR_MINOR), Map.of()))))
                .isEqualTo(ids(graph(root(Map.of(), Map.of()))))
                .isEqualTo(ids(graph(new ProcessField("dr17", 42, 3, Path.of("out")))));
    }

    @Test
    void aVersionThatIsNotMajorMinorIsRejected() {
        assertThatThrownBy(() -> root(Map.of("pipeline-version", "1.0.1"), Map.of()))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("--pipeline-version must be major.minor, like 1.0, got '1.0.1'");
        assertThatThrownBy(() -> new SummarizeField("dr17", 42, 3, Path.of("out"), "v2"))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("--pipeline-version must be major.minor, like 1.0, got 'v2'");
    }
}
