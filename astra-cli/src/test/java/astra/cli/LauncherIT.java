package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, run as a user runs it: the packaged {@code ./astra} launcher in a
 * child JVM, from an empty working directory, on the embedded SQLite default.
 */
class LauncherIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final String EXAMPLES = ROOT.resolve("examples/target/astra-examples.jar").toString();
    static final String BENCH = ROOT.resolve("astra-bench/target/astra-bench.jar").toString();
    static final String CONFIG = ROOT.resolve("utah.cfg.example").toString();

    @TempDir
    Path workDir;

    record Result(int code, String out, String err) {}

    /** The fixtures of this module's tests, as a user's compiled tasks. */
    static final String FIXTURES = Path.of("target/test-classes").toAbsolutePath().toString();

    static Process start(Path cwd, Path out, Path err, String... args) throws IOException {
        return startWithClasspath(cwd, out, err, null, args);
    }

    static Process startWithClasspath(Path cwd, Path out, Path err, String classpath, String... args)
            throws IOException {
        return startWith(cwd, out, err, classpath == null ? java.util.Map.of() : java.util.Map.of("ASTRA_CLASSPATH", classpath),
                args);
    }

    /** The launcher with these variables set in its environment (besides the test's own). */
    static Process startWith(Path cwd, Path out, Path err, java.util.Map<String, String> environment, String... args)
            throws IOException {
        return startAs(List.of(), cwd, out, err, environment, args);
    }

    /** The launcher started by {@code prefix} (a command that then runs it, such as setsid). */
    static Process startAs(List<String> prefix, Path cwd, Path out, Path err, java.util.Map<String, String> environment,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("bash", ROOT.resolve("astra").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ASTRA_CONFIG");
        builder.environment().remove("ASTRA_CLASSPATH");
        builder.environment().putAll(environment);
        return builder.start();
    }

    static Result astra(Path cwd, String... args) throws IOException, InterruptedException {
        return astraWithClasspath(cwd, null, args);
    }

    static Result astraWithClasspath(Path cwd, String classpath, String... args) throws IOException, InterruptedException {
        return astraWith(cwd, classpath == null ? java.util.Map.of() : java.util.Map.of("ASTRA_CLASSPATH", classpath), args);
    }

    static Result astraWith(Path cwd, java.util.Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("astra-out", ".txt");
        Path err = Files.createTempFile("astra-err", ".txt");
        Process process = startWith(cwd, out, err, environment, args);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("astra " + String.join(" ", args) + " did not finish in 180 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theFirstRunWritesClassDataArchivesThatLaterRunsMapQuietly(@TempDir Path cache) throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", cache.toString());
        Path archives = cache.resolve("astra/cds");

        Result first = astraWith(workDir, env, "--cp", BENCH, "run", "FanOut", "--n", "6", "--workers", "2");

        assertThat(first.code()).as(first.err()).isZero();
        // One for the launcher's JVM, one for the workers' (written by the first child as it exits).
        assertThat(archiveNames(archives)).hasSize(2).anyMatch(n -> n.startsWith("astra-"))
                .anyMatch(n -> n.startsWith("worker-")).allMatch(n -> n.endsWith(".jsa"));

        Result second = astraWith(workDir, env, "--cp", BENCH, "run", "FanOut", "--n", "8", "--workers", "2");

        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("* 3 ran successfully");
        assertThat(second.out() + second.err()).doesNotContainIgnoringCase("shared archive")
                .doesNotContainIgnoringCase("cds");
        assertThat(archiveNames(archives)).as("the same two, mapped again").hasSize(2);

        Result off = astraWith(workDir, java.util.Map.of("XDG_CACHE_HOME", cache.toString(),
                "ASTRA_JAVA_OPTS", "-Xshare:off"), "--cp", BENCH, "run", "FanOut", "--n", "8");
        assertThat(off.code()).as(off.err()).isZero();
        assertThat(archiveNames(archives)).as("-Xshare:off writes none").hasSize(2);
    }

    private static List<String> archiveNames(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theExamplePipelineRunsOnTheEmbeddedDatabaseThenHasNothingToDo() throws Exception {
        Result first = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--field", "42", "--config", CONFIG);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Astra Execution Summary").contains("ran successfully")
                .contains("This run was a success");
        assertThat(workDir.resolve(".astra/astra.db")).exists();
        assertThat(workDir.resolve("out/dr17/v1.0/field-0042/summary.csv")).exists();

        Result second = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--field", "42", "--config", CONFIG);

        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("Nothing to do");
    }

    @Test
    void anUnknownTaskNameExitsTwoAndNamesCloseMatches() throws Exception {
        Result r = astra(workDir, "--cp", EXAMPLES, "run", "ProcesField", "--config", CONFIG);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown task 'ProcesField'").contains("ProcessField");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void aBadParameterValueExitsTwo() throws Exception {
        Result r = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--field", "forty-two", "--config", CONFIG);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("field").contains("forty-two").doesNotContain("\tat ");
    }

    @Test
    void taskHelpListsTheParametersWithDefaultsFromTheConfig() throws Exception {
        Result r = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--help", "--config", CONFIG);

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--field=<int>").contains("--release=<String>").contains("(config: dr17)")
                .contains("--output-dir=<Path>").contains("does not change the task id")
                .doesNotContain("--pipeline-version");
    }

    @Test
    void tasksAreFoundThroughAstraClasspathAndABadEntryIsNamed() throws Exception {
        Result found = astraWithClasspath(workDir, EXAMPLES, "run", "ProcessField", "--help", "--config", CONFIG);
        assertThat(found.code()).as(found.err()).isZero();
        assertThat(found.out()).contains("--field");

        Result missing = astra(workDir, "--cp", workDir.resolve("no-such.jar").toString(), "run", "ProcessField");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--cp entry").contains("no-such.jar").contains("does not exist");
    }

    @Test
    void helpListsCommandsAndExitCodes() throws Exception {
        Result r = astra(workDir, "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("run").contains("Exit codes");
    }

    @Test
    void theExampleRunsOnPostgresql() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            String config = schema.writeConfig(workDir.resolve("pg.cfg"), Files.readString(Path.of(CONFIG))).toString();
            Result first = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--field", "7", "--n-stars", "5",
                    "--config", config);

            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("This run was a success");
            // No SQLite file: the tasks' state is in PostgreSQL; only their attempt logs are local.
            assertThat(workDir.resolve(".astra/astra.db")).doesNotExist();
            assertThat(workDir.resolve(".astra/logs")).isDirectory();

            Result second = astra(workDir, "--cp", EXAMPLES, "run", "ProcessField", "--field", "7", "--n-stars", "5",
                    "--config", config);
            assertThat(second.out()).contains("Nothing to do");
        }
    }

    @Test
    void aRunKilledMidTaskLosesNothingAndTheNextRunFinishesIt() throws Exception {
        Path ledger = workDir.resolve("ledger");
        Process first = start(workDir, workDir.resolve("out.txt"), workDir.resolve("err.txt"),
                "--cp", FIXTURES, "run", "SecondStep", "--dir", workDir.toString());
        long child = pidOf(waitFor(first, ledger, "second started", workDir.resolve("err.txt")));

        first.destroyForcibly().waitFor();
        // Its worker notices that astra run is gone, gives the task back and exits.
        ProcessHandle.of(child).ifPresent(h -> h.onExit().join());
        Files.writeString(workDir.resolve("go"), "");
        Result second = astra(workDir, "--cp", FIXTURES, "run", "SecondStep", "--dir", workDir.toString());

        assertThat(second.code()).as(second.err()).isZero();
        assertThat(lines(ledger)).containsExactly("first", "second started", "second started", "second finished");
    }

    @Test
    void ctrlCStopsTheWorkersAndTheNextRunFinishesTheInterruptedTask() throws Exception {
        ctrlCStopsTheRun(java.util.Map.of());
    }

    /**
     * The first run after a build writes the class-data archive: the launcher then runs java as
     * its child rather than exec-ing it, and must pass the signal on.
     */
    @Test
    void ctrlCStopsARunThatWritesTheClassDataArchive(@TempDir Path emptyCache) throws Exception {
        ctrlCStopsTheRun(java.util.Map.of("XDG_CACHE_HOME", emptyCache.toString()));
    }

    private void ctrlCStopsTheRun(java.util.Map<String, String> environment) throws Exception {
        assumeSigintReachesChildren();
        stopTheRun("INT", false, 130, environment);
    }

    /**
     * The terminal closes (or the SSH connection drops): the kernel sends SIGHUP to the whole
     * process group, astra run and its worker alike. The run stops as on Ctrl-C, exits 129, and
     * its running task goes back uncounted: the next run's attempt is its first, where it used
     * to be failed with "the task ended its worker process (System.exit?)".
     */
    @Test
    void aHangupStopsTheRunAndGivesItsRunningTaskBackUncounted() throws Exception {
        hangUpTheRun(java.util.Map.of());
    }

    /** The launcher running java as its child (writing the class-data archive) passes the hangup on. */
    @Test
    void aHangupStopsARunThatWritesTheClassDataArchive(@TempDir Path emptyCache) throws Exception {
        hangUpTheRun(java.util.Map.of("XDG_CACHE_HOME", emptyCache.toString()));
    }

    private void hangUpTheRun(java.util.Map<String, String> environment) throws Exception {
        stopTheRun("HUP", true, 129, environment);
    }

    /**
     * Sends {@code signal} to a run whose worker is inside a task (to the launcher alone, or to
     * the whole process group of a session of its own, as a closing terminal does, so that it
     * never reaches this test's JVM), and expects the run to stop with {@code code}, its worker
     * gone and its task given back uncounted: the next run's attempt is the task's first.
     */
    private void stopTheRun(String signal, boolean wholeGroup, int code, java.util.Map<String, String> environment)
            throws Exception {
        Path ledger = workDir.resolve("ledger");
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        Process run = startAs(wholeGroup ? List.of("setsid") : List.of(), workDir, out, err, environment, "--cp",
                FIXTURES, "run", "SecondStep", "--dir", workDir.toString());
        long child = pidOf(waitFor(run, ledger, "second started", err));

        new ProcessBuilder("kill", "-" + signal, "--", (wholeGroup ? "-" : "") + run.pid()).start().waitFor();

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("astra did not stop after SIG" + signal).isTrue();
        assertThat(run.exitValue()).as(Files.readString(err)).isEqualTo(code);
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).as("the worker outlived astra run")
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.readString(err)).doesNotContain("System.exit").doesNotContain("FAILED");
        assertThat(Files.readString(out)).contains("were not finished (the run was stopped; those running were given back, uncounted)");
        Files.writeString(workDir.resolve("go"), "");
        Result again = astraWith(workDir, environment, "--cp", FIXTURES, "run", "SecondStep", "--dir",
                workDir.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(lines(ledger)).containsExactly("first", "second started", "second started", "second finished");
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                        "jdbc:sqlite:" + workDir.resolve(".astra/astra.db"));
                java.sql.ResultSet r = db.createStatement().executeQuery(
                        "select attempts, state from astra_task where family = 'SecondStep'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(2)).isEqualTo("DONE");
            assertThat(r.getInt(1)).as("attempts: the stopped one is not counted").isEqualTo(1);
        }
    }

    /**
     * A process started in the background by a non-interactive shell ({@code mvn verify &} in a
     * script, nohup) ignores SIGINT, and so does everything it starts: no shell or JVM can catch
     * a Ctrl-C there, so there is nothing to try.
     */
    static void assumeSigintReachesChildren() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return;
        }
        long ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseLong(l.substring("SigIgn:".length()).strip(), 16)).findFirst().orElse(0L);
        org.junit.jupiter.api.Assumptions.assumeTrue((ignored & 0x2) == 0,
                "SIGINT is ignored in this test's process (started in the background by a shell?): Ctrl-C cannot"
                        + " reach astra here");
    }

    /** The ledger's lines without the pid each ends with. */
    static List<String> lines(Path ledger) throws IOException {
        return Files.readAllLines(ledger).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
    }

    static long pidOf(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** Waits, with a deadline, for a ledger line starting with {@code prefix}, and returns it. */
    static String waitFor(Process process, Path ledger, String prefix, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (Files.exists(ledger)) {
                for (String line : Files.readAllLines(ledger)) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            assertThat(process.isAlive()).as("astra ended before '" + prefix + "': " + Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("no '" + prefix + "' in 120 s").isLessThan(deadline);
            Thread.sleep(20); // a poll interval: the loop waits on the ledger, with the deadline above
        }
    }

    @Test
    void twoRunsAtOnceOverOverlappingGraphsRunEverySharedTaskOnce() throws Exception {
        Path aOut = workDir.resolve("a.out");
        Path aErr = workDir.resolve("a.err");
        Process a = start(workDir, aOut, aErr, "--cp", BENCH, "run", "FanOut", "--n", "300", "--workers", "2");
        Result b = astra(workDir, "--cp", BENCH, "run", "FanOut", "--n", "400", "--workers", "2");
        assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String aSummary = Files.readString(aOut);

        assertThat(a.exitValue()).as(Files.readString(aErr)).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        // Whichever run planned the 300 shared leaves first ran them; the other reports it.
        assertThat(aSummary + b.out()).contains("were run by another run:");
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + workDir.resolve(".astra/astra.db"));
                var rows = db.createStatement().executeQuery(
                        "select count(*), count(distinct task_id) from astra_event where state = 'DONE'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("done events").isEqualTo(402);
            assertThat(rows.getInt(2)).as("distinct tasks done").isEqualTo(402);
        }
    }
}
