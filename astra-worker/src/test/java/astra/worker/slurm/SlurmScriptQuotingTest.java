package astra.worker.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The words of {@code astra worker}'s command line in a Slurm job script reach it unchanged
 * ({@link SlurmWorkerPool#quote}): a real {@code sh} reads them back.
 */
class SlurmScriptQuotingTest {

    /** What {@code sh -c <script>} prints. */
    private static String sh(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("sh finished").isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aWordWithASingleQuoteComesBackAsItWas() throws Exception {
        String word = "it's";

        assertThat(SlurmWorkerPool.quote(word)).isNotEqualTo("'" + word + "'");
        assertThat(sh("printf %s " + SlurmWorkerPool.quote(word))).isEqualTo(word);
    }

    @Test
    void nothingInsideIsExpandedOrSplit() throws Exception {
        for (String word : List.of("$HOME", "`id`", "$(id)", "a b\tc", "*", "back\\slash", "\"double\"", "''", "'",
                "--db=jdbc:postgresql://h/db?user=me&ssl=true;x", "line\nbreak", "")) {
            assertThat(sh("printf %s " + SlurmWorkerPool.quote(word))).as(word).isEqualTo(word);
        }
    }

    @Test
    void aCommandLineOfQuotedWordsKeepsEachWordWhole() throws Exception {
        List<String> words = List.of("/opt/java 17/bin/java", "-cp", "a.jar:b's.jar", "worker", "", "--families", "Fit,Plot");

        String line = words.stream().map(SlurmWorkerPool::quote).collect(Collectors.joining(" "));

        assertThat(sh("printf '[%s]' " + line))
                .isEqualTo("[/opt/java 17/bin/java][-cp][a.jar:b's.jar][worker][][--families][Fit,Plot]");
    }
}
