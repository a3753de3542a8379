package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code astra run} end to end in this JVM: exit codes and what the user reads. */
class RunCommandTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result astra(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** astra run with a private SQLite database and no config file. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--db", "jdbc:sqlite:" + dir.resolve("astra.db"), "--config", emptyConfig().toString()));
        return astra(all.toArray(String[]::new));
    }

    Path emptyConfig() {
        Path cfg = dir.resolve("empty.cfg");
        try {
            if (!Files.exists(cfg)) {
                Files.writeString(cfg, "# nothing\n");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cfg;
    }

    @Test
    void runsATaskAndSummarizes() {
        Result r = run("ObservePlate", "--night", "2024-03-01");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("Astra Execution Summary").contains("1 ran successfully").contains("ObservePlate");
    }

    @Test
    void theSecondRunSaysNothingIsLeftToDo() {
        assertThat(run("ObservePlate", "--night", "2024-03-01").code()).isEqualTo(0);

        Result again = run("ObservePlate", "--night", "2024-03-01");

        assertThat(again.code()).isEqualTo(0);
        assertThat(again.out()).contains("Nothing to do");
    }

    @Test
    void anUnknownTaskExitsTwoNamingCloseMatches() {
        Result r = run("ObservPlate");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown task 'ObservPlate'").contains("ObservePlate");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anAmbiguousSimpleNameListsTheCandidates() {
        Result r = run("Twin");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ambiguous").contains("astra.cli.fixtures.CliTasks$Twin")
                .contains("astra.cli.fixtures.CliTasks$Other$Twin");
    }

    @Test
    void aQualifiedNameOrATaskNameFindsTheTask() {
        assertThat(run("astra.cli.fixtures.CliTasks$Other$Twin").code()).isEqualTo(0);
        assertThat(run("Calibrate", "--band", "g").code()).isEqualTo(0);
    }

    @Test
    void aBadParameterValueExitsTwoNamingTheParameter() {
        Result r = run("ObservePlate", "--night", "yesterday");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("night").contains("yesterday").doesNotContain("\tat ");
    }

    @Test
    void aMissingRequiredParameterExitsTwo() {
        Result r = run("ObservePlate");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing required parameter --night");
    }

    @Test
    void anUnknownParameterSuggestsTheClosestOne() {
        Result r = run("ObservePlate", "--nigth", "2024-03-01");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown parameter --nigth").contains("did you mean --night");
    }

    @Test
    void aMalformedConfigExitsTwoWithTheLine() throws Exception {
        Path cfg = dir.resolve("broken.cfg");
        Files.writeString(cfg, "[core]\nworkers = 2\nthis line is wrong\n");

        Result r = astra("run", "ObservePlate", "--night", "2024-03-01", "--config", cfg.toString(),
                "--db", "jdbc:sqlite:" + dir.resolve("astra.db"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("broken.cfg").contains(":3");
    }

    @Test
    void aBadWorkerProcessesValueExitsTwoWithOneLineNamingIt() throws Exception {
        for (String bad : List.of("0", "abc")) {
            Path cfg = dir.resolve("processes-" + bad + ".cfg");
            Files.writeString(cfg, "[worker]\nprocesses = " + bad + "\n");

            Result r = astra("run", "ObservePlate", "--night", "2024-03-01", "--workers", "4", "--config",
                    cfg.toString(), "--db", "jdbc:sqlite:" + dir.resolve("astra.db"));

            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("[worker] processes = '" + bad + "'").doesNotContain("\tat ");
            assertThat(r.err().lines().filter(l -> l.contains("processes"))).hasSize(1);
        }
    }

    @Test
    void anUnreachableDatabaseExitsSixWithoutAStackTrace() {
        Result r = astra("run", "ObservePlate", "--night", "2024-03-01", "--config", emptyConfig().toString(),
                "--db", "jdbc:postgresql://127.0.0.1:1/nowhere?user=nobody&password=hunter2");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(6);
        assertThat(r.err()).contains("127.0.0.1:1").doesNotContain("hunter2").doesNotContain("\tat ");
    }

    @Test
    void aTaskThatThrowsExitsThreeWithItsError() {
        Result r = run("ExplodingTask");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("1 failed").contains("IllegalStateException: the detector is saturated");
    }

    @Test
    void aCycleExitsFiveNamingTheTasks() {
        Result r = run("LoopA");

        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("cycle").contains("LoopA").contains("LoopB");
    }

    @Test
    void taskHelpListsParametersWithTypesDefaultsAndDescriptions() {
        Result r = run("ObservePlate", "--help");

        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("--night").contains("LocalDate").contains("Night of the observation")
                .contains("(required)").contains("--plate").contains("(default: 7)").contains("--workers");
    }

    @Test
    void configGivesParameterDefaultsAndTheCommandLineWins() throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, "[ObservePlate]\nnight = 2024-05-05\nplate = 9\n");
        String db = "jdbc:sqlite:" + dir.resolve("astra.db");

        Result r = astra("run", "ObservePlate", "--plate", "3", "--config", cfg.toString(), "--db", db);

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("ObservePlate_2024_05_05_3_");
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        Result r = astra();

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: astra").contains("Exit codes");
    }

    @Test
    void anUnknownCommandNamesTheCommands() {
        Result r = astra("frobnicate");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command 'frobnicate'").contains("run");
    }
}
