package astra.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example pipeline compiles against Astra's API only: {@code astra.core} and
 * {@code astra.core.db}, never Astra's machinery ({@code astra.core.internal}, {@code store},
 * {@code params}, {@code config}) nor the worker, planner or scheduler modules. What users copy
 * from keeps to the rule {@code astra.core.internal}'s package documentation states.
 */
class ApiBoundaryTest {

    private static final Pattern ASTRA_IMPORT = Pattern.compile("^import (?:static )?(astra\\.[\\w.]+);", Pattern.MULTILINE);
    private static final Pattern API = Pattern.compile("astra\\.core\\.(?:[A-Z]\\w*|db\\.[A-Z]\\w*)(?:\\.[\\w*]+)*|astra\\.examples\\..*");

    @Test
    void theExamplePipelineImportsOnlyTheApi() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> outside;
        try (Stream<Path> files = Files.walk(sources)) {
            outside = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    Matcher m = ASTRA_IMPORT.matcher(Files.readString(f));
                    return m.results().map(r -> r.group(1)).filter(i -> !API.matcher(i).matches())
                            .map(i -> sources.relativize(f) + ": " + i).toList().stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertThat(outside).as("imports of Astra's machinery in the example pipeline").isEmpty();
    }

    @Test
    void theRuleCatchesAnImportOfAstrasMachinery() {
        assertThat(API.matcher("astra.core.Task").matches()).isTrue();
        assertThat(API.matcher("astra.core.db.Database").matches()).isTrue();
        assertThat(API.matcher("astra.core.internal.LocalProcess").matches()).isFalse();
        assertThat(API.matcher("astra.core.store.TaskStore").matches()).isFalse();
        assertThat(API.matcher("astra.worker.WorkerPool").matches()).isFalse();
    }
}
