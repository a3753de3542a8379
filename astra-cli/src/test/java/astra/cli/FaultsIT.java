package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real run must survive, driven on real {@code ./astra} processes against a PostgreSQL
 * cluster of the test's own that it stops and restarts ({@link FaultCluster}). Every task writes
 * one row of results ({@code fixtures.FaultTasks}): in the transaction that records it done
 * (exactly once), or on its own (at least once). Each test asserts what the README's "When things
 * go wrong" promises: the rows (none lost; none duplicated for transactional tasks), no task
 * failed or charged an attempt by a fault that was not its own, and the exit code. It prints one
 * line of counts, for the record.
 */
class FaultsIT {

    @TempDir
    Path workDir;

    FaultCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = FaultCluster.require();
    }

    /** A run of {@code n} result tasks, each working {@code millis} first, in the background. */
    private Process start(String url, String config, int n, int millis, boolean transactional, int workers)
            throws IOException {
        Files.writeString(workDir.resolve("utah.cfg"), "[database]\nurl = " + url + "\n" + config);
        return LauncherIT.startWith(workDir, workDir.resolve("out.txt"), workDir.resolve("err.txt"),
                Map.of("ASTRA_CLASSPATH", LauncherIT.FIXTURES), "run", "FaultResults", "--n", Integer.toString(n),
                "--millis", Integer.toString(millis), "--transactional", Boolean.toString(transactional),
                "--workers", Integer.toString(workers));
    }

    private String err() throws IOException {
        return Files.readString(workDir.resolve("err.txt"));
    }

    private String out() throws IOException {
        return Files.readString(workDir.resolve("out.txt"));
    }

    private static long query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long rows(String url) {
        try {
            return query(url, "select count(*) from survey.fault_results");
        } catch (SQLException e) {
            return -1;  // the database is away: the caller waits on
        }
    }

    /** Waits, with a deadline, until the condition holds; fails early if the run ended. */
    private void waitUntil(String what, Process run, java.util.function.BooleanSupplier condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!condition.getAsBoolean()) {
            assertThat(run.isAlive()).as("the run ended before " + what + "; stderr:\n" + err()).isTrue();
            assertThat(System.nanoTime() < deadline).as("waited 180 s for " + what + "; stderr:\n" + err()).isTrue();
            Thread.sleep(50);
        }
    }

    private int finish(Process run) throws Exception {
        assertThat(run.waitFor(600, TimeUnit.SECONDS)).as("the run did not end; stderr:\n" + err()).isTrue();
        return run.exitValue();
    }

    /**
     * The rows and the task table after the run: every task's row there (at least once), exactly
     * once if {@code exactlyOnce}; no task failed, none charged more than one attempt. Prints the counts.
     */
    private void assertResults(String fault, String url, int n, boolean exactlyOnce) throws SQLException {
        long total = query(url, "select count(*) from survey.fault_results");
        long distinct = query(url, "select count(distinct i) from survey.fault_results");
        long failed = query(url, "select count(*) from astra.astra_task where state <> 'DONE'");
        long charged = query(url, "select coalesce(max(attempts), 0) from astra.astra_task where family = 'FaultResult'");
        System.out.printf("[astra faults] %s: %d task(s), %d row(s) written, %d duplicated, %d lost, %d not done,"
                + " most attempts %d%n", fault, n, total, total - distinct, n - distinct, failed, charged);
        assertThat(distinct).as("tasks whose row is there (none lost)").isEqualTo(n);
        if (exactlyOnce) {
            assertThat(total).as("rows of results (transactional: none duplicated)").isEqualTo(n);
        }
        assertThat(failed).as("tasks not done").isZero();
        assertThat(charged).as("the most attempts charged to a task").isEqualTo(1);
    }

    private void assertOneLineEach(String err) {
        assertThat(err).as("no stack trace without --debug").doesNotContain("\tat ").doesNotContain("Exception in");
        assertThat(err.lines().filter(l -> l.contains("the database is unreachable")))
                .as("one line when the outage begins").hasSize(1);
        assertThat(err.lines().filter(l -> l.contains("the database is back after")))
                .as("one line when it ends").hasSize(1);
    }

    @Test
    void aRestartMidRunLosesAndDuplicatesNothing() throws Exception {
        String url = cluster.freshDatabase("faults_restart");
        int n = 600;
        Process run = start(url, "", n, 20, true, 4);
        waitUntil("100 results", run, () -> rows(url) >= 100);

        cluster.control("restart");

        assertThat(finish(run)).as(err()).isZero();
        assertResults("restart mid-run", url, n, true);
        assertThat(err()).as("no stack trace without --debug").doesNotContain("\tat ");
        assertThat(out()).contains("This run was a success");
    }

    /** Stops the cluster for {@code seconds} once 100 results are in; returns the run's stderr. */
    private String outage(String database, int seconds, boolean transactional) throws Exception {
        String url = cluster.freshDatabase(database);
        int n = 600;
        Process run = start(url, "", n, 20, transactional, 4);
        waitUntil("100 results", run, () -> rows(url) >= 100);

        cluster.control("stop");
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());  // the outage itself
        cluster.control("start");

        assertThat(finish(run)).as(err()).isZero();
        assertResults(seconds + " s outage (" + (transactional ? "transactional" : "at least once") + ")", url, n,
                transactional);
        assertOneLineEach(err());
        return err();
    }

    @Test
    void anOutageOfHalfAMinuteIsWaitedOut() throws Exception {
        outage("faults_outage30", 30, false);
    }

    /**
     * Longer than the lease (60 s): no heartbeat could be written meanwhile, and yet no claim is
     * taken from a live worker, since the run judges heartbeats again only a lease after it saw
     * the database come back.
     */
    @Test
    void anOutageLongerThanTheLeaseTakesNoClaimFromALiveWorker() throws Exception {
        assertThat(outage("faults_outage90", 90, true))
                .doesNotContain("went silent").doesNotContain("no longer holds the claim");
    }

    /**
     * A worker frozen (SIGSTOP) past its lease: what it held is run by the other worker, and the
     * frozen one, resumed, cannot commit its results. Where the freeze lands decides how its task
     * comes back: frozen holding a claim, the run gives the task back when its heartbeat is older
     * than the lease ("went silent"); frozen inside the claim's own transaction, the server ends
     * that transaction after idle_in_transaction_session_timeout (60 s) and the task was never
     * claimed. Either way every result is written exactly once.
     */
    @Test
    void aWorkerFrozenPastItsLeaseCommitsNothingWhenItWakes() throws Exception {
        String url = cluster.freshDatabase("faults_frozen");
        int n = 10;
        Process run = start(url, "[scheduler]\nlease = 15s\n[worker]\nprocesses = workers\n", n, 2_000, true, 2);
        waitUntil("a first result", run, () -> rows(url) >= 1);
        ProcessHandle frozen = run.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("WorkerMain")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no worker process to freeze"));

        signal("STOP", frozen.pid());
        try {
            waitUntil("every result written while a worker is frozen", run, () -> rows(url) >= n);
        } finally {
            signal("CONT", frozen.pid());
        }

        assertThat(finish(run)).as(err()).isZero();
        assertResults("worker frozen past its lease (transactional)", url, n, true);
        if (query(url, "select count(*) from astra.astra_event where message like 'released: its worker sent no heartbeat%'") > 0) {
            assertThat(err()).contains("went silent for 15 s were given back");
        }
    }

    /** kill -9 of astra run itself: the rerun finishes the rest, every result written once. */
    @Test
    void aKilledSchedulerLeavesEveryTaskToTheRerunExactlyOnce() throws Exception {
        String url = cluster.freshDatabase("faults_kill9");
        int n = 200;
        Process run = start(url, "", n, 50, true, 2);
        waitUntil("30 results", run, () -> rows(url) >= 30);
        // The launcher execs the JVM, unless it first writes the class-data archive (then the JVM is its child).
        ProcessHandle scheduler = java.util.stream.Stream.concat(java.util.stream.Stream.of(run.toHandle()), run.descendants())
                .filter(p -> p.info().commandLine().map(c -> c.contains("astra.cli.Main")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no astra run JVM to kill"));

        signal("KILL", scheduler.pid());
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long before = rows(url);
        assertThat(before).as("the run was cut short").isLessThan(n);

        Process again = start(url, "", n, 50, true, 2);
        assertThat(finish(again)).as(err()).isZero();
        assertResults("kill -9 of astra run, then a rerun (transactional)", url, n, true);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }
}
