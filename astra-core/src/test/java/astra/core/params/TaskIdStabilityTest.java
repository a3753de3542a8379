package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Task ids are stored in the database, so they must not change between JVMs, runs or releases. */
class TaskIdStabilityTest {

    private static List<String> idsInThisJvm() {
        return TestTasks.samples().stream().map(Tasks::id).toList();
    }

    @Test
    void goldenIds() {
        // Pinned: if one of these changes, every stored task id changes. Do not update them
        // casually; a change of algorithm needs a migration of the task table.
        assertThat(Tasks.id(new TestTasks.Reduce(59000, "dr17", 4))).isEqualTo("Reduce_59000_dr17_3ff8447607");
        assertThat(Tasks.id(new TestTasks.NoParams())).isEqualTo("NoParams__0cbc9a2d9c");
        Task everything = TestTasks.samples().get(0);
        assertThat(Tasks.id(everything)).isEqualTo("Everything_59000_12345678901_1_5_f1d527c003");
    }

    @Test
    void idsAreTheSameInAJvmWithAnotherTimeZoneLocaleAndCharset() throws Exception {
        // Turkish lower-cases "I" to a dotless i, which breaks naive case folding; Chatham is
        // UTC+12:45/13:45, far from any default; Latin-1 breaks code that hashes default-charset bytes.
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=Pacific/Chatham",
                "-Duser.language=tr",
                "-Duser.country=TR",
                "-Dfile.encoding=ISO-8859-1",
                "-cp", System.getProperty("java.class.path"),
                IdPrinter.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = readAll(child.getInputStream());
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as("child JVM exit code").isZero();

        List<String> childIds = output.lines().toList();
        assertThat(childIds).hasSize(TestTasks.samples().size()).isEqualTo(idsInThisJvm());
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
