package astra.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL cluster the fault tests may stop and restart: a second cluster of its own
 * ({@code bash .ci/pg-faults.sh} creates "faults" on port 5433 and prints its name), never the
 * machine's cluster on 5432. {@code $ASTRA_TEST_FAULTS_PG} names it ({@code 15/faults}, on
 * {@code $ASTRA_TEST_FAULTS_PG_PORT}, 5433 unless set). Without it the tests are skipped with the
 * reason, unless {@code $ASTRA_TEST_REQUIRE_FAULTS=1} (CI), which fails them instead.
 */
final class FaultCluster {

    static final String CLUSTER_ENV = "ASTRA_TEST_FAULTS_PG";
    static final String REQUIRE_ENV = "ASTRA_TEST_REQUIRE_FAULTS";

    final String version;
    final String name;
    final int port;

    private FaultCluster(String version, String name, int port) {
        this.version = version;
        this.name = name;
        this.port = port;
    }

    /** The cluster, or the test skipped (or failed, when required) with the reason. */
    static FaultCluster require() {
        String cluster = System.getenv(CLUSTER_ENV);
        String problem = null;
        if (cluster == null || !cluster.matches("\\d+/[\\w-]+")) {
            problem = "$" + CLUSTER_ENV + " is not set to VERSION/NAME of a PostgreSQL cluster the tests may stop";
        } else if (!cluster.endsWith("/faults")) {
            problem = "$" + CLUSTER_ENV + "=" + cluster + ": the fault tests only stop a cluster named faults";
        }
        FaultCluster found = null;
        if (problem == null) {
            String[] parts = cluster.split("/");
            String port = System.getenv("ASTRA_TEST_FAULTS_PG_PORT");
            found = new FaultCluster(parts[0], parts[1], port == null ? 5433 : Integer.parseInt(port));
            problem = found.answers() ? null : "the cluster " + cluster + " does not answer on port " + found.port;
        }
        if (problem == null) {
            return found;
        }
        String reason = "fault tests skipped: " + problem + " (as root: bash .ci/pg-faults.sh, then export "
                + CLUSTER_ENV + "=15/faults)";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(reason.replace("tests skipped", "tests required (" + REQUIRE_ENV + "=1)"));
        }
        Assumptions.abort(reason);
        return null;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    private boolean answers() {
        try (Connection c = DriverManager.getConnection(url("postgres"))) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A new, empty database (dropped first if a previous test left it), with the survey's results table. */
    String freshDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        }
        try (Connection c = DriverManager.getConnection(url(database)); Statement s = c.createStatement()) {
            s.execute("create schema survey");
            s.execute("create table survey.fault_results (task_id text not null, i int not null,"
                    + " at timestamptz default clock_timestamp())");
        }
        return url(database);
    }

    /** {@code pg_ctlcluster VERSION faults ACTION} (stop, start, restart), fast, waiting for it. */
    void control(String action) throws IOException, InterruptedException {
        List<String> command = List.of("pg_ctlcluster", version, name, action, "-m", "fast");
        Process process = new ProcessBuilder(action.equals("start") ? command.subList(0, 4) : command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("pg_ctlcluster " + action + " failed: " + out);
        }
        if (!action.equals("stop")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!answers()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the cluster did not come back after " + action);
                }
                Thread.sleep(100);
            }
        }
    }
}
