package astra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import astra.bench.peers.DbSchedulerPeer;
import astra.core.testing.DatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peers on a tiny N against the test PostgreSQL, each in a fresh schema of its own (skipped
 * with a reason when there is none, failing under ASTRA_TEST_REQUIRE_PG=1).
 */
class PeersPostgresTest {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Test
    void dbSchedulerExecutesEveryScheduledInstanceOnceAndLeavesNothingScheduled() throws Exception {
        String url = db.settings().url();
        try (Connection c = DriverManager.getConnection(url)) {
            Peers.createDbSchedulerTables(c);
        }

        DbSchedulerPeer.Result result = DbSchedulerPeer.run(url, 20, 2, Duration.ofMinutes(1));

        assertThat(result.executed()).isEqualTo(20);
        assertThat(result.failed()).isZero();
        assertThat(result.executeMillis()).isPositive();
        assertThat(Peers.parseResult(result.line())).containsEntry("executed", "20").containsKey("execute_ms");
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(count(c, "select count(distinct i) from example_bench_rows")).isEqualTo(20);
            assertThat(count(c, "select count(*) from scheduled_tasks")).isZero();
        }
    }

    @Test
    void pgbenchClaimsAndFinishesEachTaskOnceWithOneEvent(@TempDir Path tmp) throws Exception {
        Optional<Path> pgbench = Pgbench.find(System.getenv("PATH"));
        assumeTrue(pgbench.isPresent(), "pgbench is not installed");
        String url = db.settings().url();
        int clients = 3;
        int perClient = Pgbench.perClient(20, clients);
        try (Connection c = DriverManager.getConnection(url)) {
            Pgbench.createTables(c, perClient * clients, clients);
        }
        Path script = tmp.resolve("claim-done.sql");
        Files.writeString(script, Pgbench.SCRIPT, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(Pgbench.command(pgbench.get(), script, clients, perClient))
                .redirectErrorStream(true);
        builder.environment().putAll(Pgbench.environment(url));

        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(Pgbench.parse(out)).as(out).hasValueSatisfying(o -> {
            assertThat(o.processed()).isEqualTo(21);
            assertThat(o.tps()).isPositive();
        });
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(Pgbench.doneAndEvents(c)).containsExactly(21, 21);
            assertThat(count(c, "select count(*) from peer_task where state = 'PENDING'")).isEqualTo(clients);
            assertThat(count(c, "select count(*) from (select task_id from peer_event group by task_id having count(*) > 1) d"))
                    .isZero();
        }
        assertThat(List.of(out.split("\n"))).anyMatch(l -> l.startsWith("query mode: prepared"));
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
