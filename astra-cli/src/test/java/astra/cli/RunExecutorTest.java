package astra.cli;

import static astra.cli.Cli.astra;
import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astra run --executor}: what the Slurm executor refuses before anything starts (no
 * database opened, no job script written, nothing submitted), beside the local executor that runs.
 */
class RunExecutorTest {

    @TempDir
    Path dir;

    /** A config whose log directory, where job scripts would go, is in the test's directory. */
    Path config(String more) throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, "[core]\nlog_dir = " + dir.resolve("logs") + "\n" + more);
        return cfg;
    }

    Path database() {
        return dir.resolve("astra.db");
    }

    /** {@code astra run ObservePlate} on the test's SQLite file, with these options and config lines. */
    Result run(String configLines, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "ObservePlate", "--night", "2024-03-01"));
        args.addAll(List.of(options));
        args.addAll(List.of("--config", config(configLines).toString()));
        return astra(args);
    }

    Result runOnSqlite(String configLines, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of("--db", "jdbc:sqlite:" + database()));
        return run(configLines, all.toArray(String[]::new));
    }

    @Test
    void theLocalExecutorRuns() throws Exception {
        Result r = runOnSqlite("", "--executor", "local");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 ran successfully");
        assertThat(dir.resolve("logs").resolve("slurm")).doesNotExist();
    }

    @Test
    void theSlurmExecutorOnSqliteExitsTwoAskingForPostgresAndSubmitsNothing() throws Exception {
        Result r = runOnSqlite("", "--executor", "slurm");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("The Slurm executor needs PostgreSQL").contains("[database] url")
                .doesNotContain("\tat ");
        assertThat(r.err()).doesNotContain("submitted");
        assertThat(dir.resolve("logs").resolve("slurm")).as("no job script").doesNotExist();
        assertThat(database()).as("no database opened").doesNotExist();
    }

    @Test
    void theSlurmExecutorFromTheConfigIsRefusedTheSameWay() throws Exception {
        Result r = runOnSqlite("executor = slurm\n[slurm]\nslurm_nodes = 2\n");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("The Slurm executor needs PostgreSQL");
        assertThat(dir.resolve("logs").resolve("slurm")).doesNotExist();
        assertThat(database()).doesNotExist();
    }

    @Test
    void anExecutorArgumentOfLocalWinsOverTheConfig() throws Exception {
        Result r = runOnSqlite("executor = slurm\n", "--executor", "local");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("logs").resolve("slurm")).doesNotExist();
    }

    @Test
    void anUnknownExecutorExitsTwoNamingTheChoices() throws Exception {
        Result argument = runOnSqlite("", "--executor", "nonsense");
        Result config = runOnSqlite("executor = pbs\n");

        assertThat(argument.code()).as(argument.err()).isEqualTo(2);
        assertThat(argument.err()).contains("--executor must be local or slurm, not 'nonsense'").doesNotContain("\tat ");
        assertThat(config.code()).as(config.err()).isEqualTo(2);
        assertThat(config.err()).contains("[core] executor must be local or slurm, not 'pbs'");
        assertThat(database()).doesNotExist();
    }

    @Test
    void aBadSlurmSettingExitsTwoNamingIt() throws Exception {
        Result r = runOnSqlite("[slurm]\nslurm_nodes = 0\n", "--executor", "slurm");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("[slurm] slurm_nodes must be at least 1, got 0");
        assertThat(dir.resolve("logs").resolve("slurm")).doesNotExist();
    }

    @Test
    void aPasswordInDbIsRefusedBeforeAJobScriptCouldHoldIt() throws Exception {
        // Port 1: had the run tried to connect, it would exit 6, not 2.
        Result r = run("", "--executor", "slurm", "--db",
                "jdbc:postgresql://127.0.0.1:1/astra?user=me&password=hunter2&connectTimeout=2");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--db carries a password").contains("~/.pgpass").doesNotContain("hunter2");
        assertThat(dir.resolve("logs").resolve("slurm")).doesNotExist();
    }

    @Test
    void runHelpMentionsTheExecutor() {
        Result r = astra("run", "--help");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("--executor").contains("local|slurm");
    }
}
