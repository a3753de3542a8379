package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What astra run prints besides the summary: progress lines, --quiet, --json; and shell completion. */
class RunOutputTest {

    @TempDir
    Path dir;

    Cli.Result astra(String config, String... args) throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, config);
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && args[0].equals("run")) {
            all.addAll(List.of("--config", cfg.toString(), "--db", "jdbc:sqlite:" + dir.resolve("astra.db")));
        }
        return Cli.astra(all);
    }

    @Test
    void withoutATerminalProgressComesAsPlainLinesAtTheConfiguredInterval() throws Exception {
        Cli.Result r = astra("[core]\nprogress_interval = 200ms\n", "run", "Naps", "--n", "8", "--millis", "250");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("astra: \\d+/9 done, \\d+ running, 0 failed, \\d+ pending; [0-9.]+ tasks/s")
                .doesNotContain("\r");
        assertThat(r.out()).contains("9 ran successfully");
    }

    @Test
    void aProgressIntervalThatIsNotPositiveExitsTwo() throws Exception {
        Cli.Result r = astra("[core]\nprogress_interval = 0s\n", "run", "Naps", "--n", "1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("[core] progress_interval must be above 0");
    }

    @Test
    void theLineSaysHowFarItIsAndHowLongIsLeftAtTheCurrentRate() {
        RunProgress.Counts counts = new RunProgress.Counts(120, 2, 1, 877);

        assertThat(RunProgress.line(counts, Duration.ofSeconds(4)))
                .isEqualTo("astra: 120/1000 done, 2 running, 1 failed, 877 pending; 30.0 tasks/s, about 29 s left");
        assertThat(RunProgress.line(new RunProgress.Counts(0, 1, 0, 9), Duration.ofSeconds(1)))
                .isEqualTo("astra: 0/10 done, 1 running, 0 failed, 9 pending; 0.0 tasks/s");
    }

    @Test
    void jsonPrintsTheSummaryAsDataAndNoProgress() throws Exception {
        Cli.Result r = astra("[core]\nprogress_interval = 100ms\n", "run", "ExplodingTask", "--json");

        assertThat(r.code()).isEqualTo(3);
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertThat(summary.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(summary.get("failed").get(0).get("error").asText())
                .isEqualTo("IllegalStateException: the detector is saturated");
        assertThat(summary.get("failed").get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("done, ");
    }

    @Test
    void quietPrintsOnlyTheVerdict() throws Exception {
        Cli.Result r = astra("", "run", "ObservePlate", "--night", "2024-03-01", "--quiet");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("This run was a success: nothing failed and no data was missing.\n");
    }

    @Test
    void quietSaysWhichTaskCouldNotBeScheduledSinceNothingElseIsPrinted() throws Exception {
        Cli.Result r = astra("", "run", "NeedsBroken", "--quiet");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.SCHEDULING_ERROR);
        assertThat(r.out()).startsWith("This run could not schedule everything: 1 task(s) could not be scheduled,"
                + " BrokenRequires_x_").contains("the calibration table is unreadable").doesNotContain("above");
    }

    @Test
    void picocliGeneratesTheShellCompletionScript() throws Exception {
        Cli.Result r = astra("", "generate-completion");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("astra");
    }
}
