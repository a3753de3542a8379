package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tasks print, through the real launcher and real worker processes: into their attempt logs
 * and (headed by the task's id) onto stderr, never onto stdout, which carries only the summary or
 * the JSON.
 */
class TaskOutputIT {

    @TempDir
    Path workDir;

    private LauncherIT.Result astra(String... args) throws Exception {
        return LauncherIT.astraWithClasspath(workDir, LauncherIT.FIXTURES, args);
    }

    @Test
    void jsonStaysParseableWhenTasksPrintAndTheirLinesAreInTheirLogs() throws Exception {
        LauncherIT.Result r = astra("run", "LoudRoot", "--n", "1", "--json", "--workers", "2");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertThat(summary.get("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(r.out()).endsWith("}\n").doesNotContain("hello from loud").doesNotContain("printed by");
        assertThat(r.err()).as("--json keeps task output to the logs").doesNotContain("hello from loud");

        LauncherIT.Result logs = astra("logs", astra.core.Tasks.id(new astra.cli.fixtures.LogTasks.Loud(2)));
        assertThat(logs.code()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("hello from loud 2").contains("second line 2");
    }

    @Test
    void byDefaultTaskLinesAreEchoedOnStderrHeadedByTheTaskAndStdoutHasOnlyTheSummary() throws Exception {
        LauncherIT.Result r = astra("run", "LoudRoot", "--n", "2", "--workers", "1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ran successfully").doesNotContain("hello from loud").doesNotContain("printed by");
        assertThat(r.err()).containsPattern("(?m)^\\[Loud_1_[0-9a-f]+\\] hello from loud 1$")
                .containsPattern("(?m)^\\[Loud_1_[0-9a-f]+\\] second line 1$")
                .contains("printed by requires()");
    }

    @Test
    void quietPrintsTheVerdictAloneOnStdout() throws Exception {
        LauncherIT.Result r = astra("run", "LoudRoot", "--n", "3", "-q");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).doesNotContain("\n").doesNotContain("hello from loud").isNotEmpty();
        assertThat(r.err()).doesNotContain("hello from loud");
    }
}
