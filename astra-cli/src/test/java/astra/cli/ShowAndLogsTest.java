package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.fixtures.LogTasks.AfterChatty;
import astra.cli.fixtures.LogTasks.Chatty;
import astra.cli.fixtures.LogTasks.Silent;
import astra.core.Tasks;
import astra.core.internal.LocalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astra show} and {@code astra logs} on a run whose task failed twice (one retry), with
 * a task that wrote nothing and one that never ran: what the user reads, and the exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShowAndLogsTest {

    @TempDir
    static Path dir;

    String chatty;

    record Result(int code, String out, String err) {}

    Result astra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", "jdbc:sqlite:" + dir.resolve("astra.db"), "--config", dir.resolve("utah.cfg").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    void runATaskThatFailsTwice() throws Exception {
        Files.writeString(dir.resolve("utah.cfg"), "[core]\nlog_dir = " + dir.resolve("logs") + "\n"
                + "[scheduler]\nretry_count = 1\n");
        Result run = astra("run", "LogNight", "--dir", dir.toString());
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
        chatty = Tasks.id(new Chatty(dir));
    }

    @Test
    void showListsEachAttemptWithItsErrorWorkerHostAndLog() {
        Result r = astra("show", chatty);

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("Task        " + chatty, "Family      Chatty (" + Chatty.class.getName() + ")",
                "State       FAILED", "dir = " + dir,
                "run 1, attempt 1: failed, retried after", "IllegalStateException: the detector is saturated on attempt 1",
                "run 1, attempt 2: failed after", "IllegalStateException: the detector is saturated on attempt 2",
                " on " + LocalProcess.host() + " (pid ",
                "log " + dir.resolve("logs").resolve(chatty).resolve("run-1-attempt-1.log"),
                "log " + dir.resolve("logs").resolve(chatty).resolve("run-1-attempt-2.log"));
        System.out.println(r.out());
    }

    @Test
    void showJsonHasTheSameForScripts() throws Exception {
        Result r = astra("show", chatty, "--json");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("state").asText()).isEqualTo("FAILED");
        assertThat(json.get("task_id").asText()).as("snake_case, as run --json").isEqualTo(chatty);
        assertThat(json.get("history").get(0).has("run_id")).isTrue();
        assertThat(json.get("parameters").get("dir").asText()).isEqualTo(dir.toString());
        assertThat(json.get("history")).hasSize(2);
        assertThat(json.get("history").get(1).get("log").asText()).endsWith("run-1-attempt-2.log");
        assertThat(json.get("history").get(1).get("host").asText()).isEqualTo(LocalProcess.host());
    }

    @Test
    void showOfATaskThatNeverRanSaysSo() {
        Result r = astra("show", Tasks.id(new AfterChatty(dir)));

        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("State       PENDING").contains("not run yet");
    }

    @Test
    void showOfAnUnknownIdExitsTwoSuggestingIdsWithItsPrefix() {
        Result r = astra("show", "Chatty_");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no task 'Chatty_'").contains("did you mean " + chatty);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void showOfAnIdLikeNothingPointsToStatus() {
        Result r = astra("show", "Nothing_at_all");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no task 'Nothing_at_all'").contains("astra status");
    }

    @Test
    void logsPrintsTheLastAttempt() {
        Result r = astra("logs", chatty);

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("out: attempt 2", "err: attempt 2", "logger: attempt 2",
                "java.lang.IllegalStateException: the detector is saturated on attempt 2", "\tat ");
        assertThat(r.out()).doesNotContain("attempt 1");
        System.out.println(r.out());
    }

    @Test
    void logsPrintsTheAttemptAskedFor() {
        Result r = astra("logs", chatty, "--attempt", "1");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("out: attempt 1", "err: attempt 1", "logger: attempt 1").doesNotContain("attempt 2");
    }

    @Test
    void logsAllPrintsEveryAttemptUnderAHeader() {
        Result r = astra("logs", chatty, "--all");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).containsSubsequence("==> run 1, attempt 1 (failed, retried)", "out: attempt 1",
                "==> run 1, attempt 2 (failed)", "out: attempt 2");
    }

    @Test
    void logsOfAnAttemptThereWasNotExitsTwo() {
        Result r = astra("logs", chatty, "--attempt", "3");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has no attempt 3").contains("run 1 #1, run 1 #2");
    }

    @Test
    void logsOfATaskThatWroteNothingSaysSo() {
        Result r = astra("logs", Tasks.id(new Silent(dir)));

        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("attempt 1 of " + Tasks.id(new Silent(dir)) + " wrote nothing (done)");
    }

    @Test
    void logsOfATaskThatNeverRanExitsTwo() {
        Result r = astra("logs", Tasks.id(new AfterChatty(dir)));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has not run yet");
    }

    @Test
    void logsOfAnUnknownIdExitsTwo() {
        Result r = astra("logs", "Chatty_nope");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no task 'Chatty_nope'").contains("did you mean " + chatty);
    }

    @Test
    void logsWithBothAttemptAndAllExitsTwo() {
        Result r = astra("logs", chatty, "--attempt", "1", "--all");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--attempt N or --all, not both");
    }

    @Test
    void aDeletedLogIsNamedWithItsHost() throws Exception {
        Path copy = dir.resolve("kept.log");
        Path file = dir.resolve("logs").resolve(chatty).resolve("run-1-attempt-1.log");
        Files.move(file, copy);
        try {
            Result r = astra("logs", chatty, "--attempt", "1");

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains(file.toString()).contains(LocalProcess.host()).doesNotContain("\tat ");
        } finally {
            Files.move(copy, file);
        }
    }

    @Test
    void helpShowsAnExample() {
        assertThat(astra("show", "--help").out()).contains("Examples:").contains("astra show ");
        assertThat(astra("logs", "--help").out()).contains("Examples:").contains("astra logs ").contains("--attempt");
    }
}
