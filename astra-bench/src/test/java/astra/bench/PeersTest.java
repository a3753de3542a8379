package astra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer rows' logic that needs no database: pgbench's output, libpq's environment, the ratio column, the plan. */
class PeersTest {

    static final String PGBENCH_15 = """
            pgbench (15.20 (Debian 15.20-0+deb12u1))
            transaction type: claim-done.sql
            scaling factor: 1
            query mode: prepared
            number of clients: 8
            number of threads: 8
            maximum number of tries: 1
            number of transactions per client: 1250
            number of transactions actually processed: 10000/10000
            number of failed transactions: 0 (0.000%)
            latency average = 3.158 ms
            initial connection time = 12.345 ms
            tps = 2533.123456 (without initial connection time)
            """;

    static final String PGBENCH_13 = """
            number of transactions actually processed: 200/200
            latency average = 1.611 ms
            tps = 1200.5 (including connections establishing)
            tps = 1241.333937 (excluding connections establishing)
            """;

    @Test
    void pgbenchsRateIsTheOneWithoutConnectionTimeInEitherFormat() {
        assertThat(Pgbench.parse(PGBENCH_15)).hasValue(new Pgbench.Output(2533.123456, 10_000, 0));
        assertThat(Pgbench.parse(PGBENCH_13)).hasValue(new Pgbench.Output(1241.333937, 200, 0));
        assertThat(Pgbench.parse(PGBENCH_15.replace("failed transactions: 0 (0.000%)", "failed transactions: 3 (0.030%)")))
                .hasValueSatisfying(o -> assertThat(o.failed()).isEqualTo(3));
        assertThat(Pgbench.parse("pgbench: error: connection to server failed")).isEmpty();
    }

    @Test
    void pgbenchGetsTheDatabaseOfTheJdbcUrlThroughLibpqsEnvironment() {
        assertThat(Pgbench.environment("jdbc:postgresql://127.0.0.1:5432/astra_bench?user=postgres"))
                .containsEntry("PGHOST", "127.0.0.1").containsEntry("PGPORT", "5432").containsEntry("PGDATABASE", "astra_bench")
                .containsEntry("PGUSER", "postgres").containsEntry("PGOPTIONS", "-c synchronous_commit=on")
                .doesNotContainKey("PGPASSWORD");
        assertThat(Pgbench.environment("jdbc:postgresql://db.example/test?user=u&password=p%40ss&currentSchema=astra_t_1"))
                .containsEntry("PGHOST", "db.example").containsEntry("PGPORT", "5432").containsEntry("PGPASSWORD", "p@ss")
                .containsEntry("PGOPTIONS", "-c synchronous_commit=on -c search_path=astra_t_1");
        assertThat(Pgbench.command(Path.of("/usr/bin/pgbench"), Path.of("s.sql"), 8, Pgbench.perClient(10_000, 8)))
                .containsSequence("-M", "prepared").containsSequence("-c", "8", "-j", "8", "-t", "1250");
        assertThat(Pgbench.perClient(10, 3)).isEqualTo(4);
    }

    @Test
    void aPeersResultLineIsReadAsKeysAndValues() {
        assertThat(Peers.parseResult("peer-result executed=10 failed=0 schedule_ms=12.5 execute_ms=100.0"))
                .containsEntry("executed", "10").containsEntry("failed", "0").containsEntry("execute_ms", "100.0");
    }

    @Test
    void astrasThroughputRowsOnPostgresqlShowTheirRatioToThePeersWithAsManyWorkers() {
        Row astra1 = row("throughput", 10_000, 1, Row.Db.POSTGRES, 500.0, 400.0);
        Row astra8 = row("throughput", 10_000, 8, Row.Db.POSTGRES, 1_000.0, 800.0);
        Row astraSqlite = row("throughput", 10_000, 8, Row.Db.SQLITE, 900.0, 700.0);
        Row sched1 = row(Peers.DB_SCHEDULER, 10_000, 1, Row.Db.POSTGRES, 1_000.0, 500.0);
        Row sched8 = row(Peers.DB_SCHEDULER, 10_000, 8, Row.Db.POSTGRES, 2_000.0, 1_600.0);
        Row pgbench8 = row(Peers.PGBENCH, 10_000, 8, Row.Db.POSTGRES, 4_000.0, 3_000.0);
        Row pgbench1 = new Row(new Row.Key(Peers.PGBENCH, null, 10_000, 1, Row.Db.POSTGRES)).fail("exit 1");
        List<Row> rows = List.of(astra1, astra8, astraSqlite, sched1, sched8, pgbench8, pgbench1);

        assertThat(PeerRatios.cell(astra1, rows)).isEqualTo("0.50× db-scheduler (wall 0.80×)");
        assertThat(PeerRatios.cell(astra8, rows)).isEqualTo("0.50× db-scheduler (wall 0.50×); 0.25× pgbench");
        assertThat(PeerRatios.cell(astraSqlite, rows)).isEqualTo(Row.DASH);
        assertThat(PeerRatios.cell(sched8, rows)).isEqualTo(Row.DASH);
        assertThat(PeerRatios.cell(astra1, List.of(astra1))).isEqualTo(Row.DASH);
        assertThat(astra8.markdown(PeerRatios.cell(astra8, rows)))
                .startsWith("| throughput | 10,000 | 8 | PostgreSQL | – | 800 | 0.50× db-scheduler (wall 0.50×); 0.25× pgbench | ");
    }

    @Test
    void onlyPeersSelectsThePeersAndTheAstraRowsTheyAreComparedWith() {
        BenchmarksTest.Outcome full = BenchmarksTest.bench("--list", "--only", "peers");
        assertThat(full.code()).isZero();
        assertThat(full.out().lines().map(l -> l.replaceAll("\\s+", " ")).toList()).containsExactly(
                "throughput N=10000 workers=1 PostgreSQL", "throughput N=10000 workers=8 PostgreSQL",
                "peers-db-scheduler N=10000 workers=1 PostgreSQL", "peers-db-scheduler N=10000 workers=8 PostgreSQL",
                "peers-pgbench N=10000 workers=1 PostgreSQL", "peers-pgbench N=10000 workers=8 PostgreSQL",
                "peers-luigi [local scheduler] N=1000 workers=1 in memory");

        BenchmarksTest.Outcome smoke = BenchmarksTest.bench("--smoke", "--list", "--only", "peers");
        assertThat(smoke.out().lines()).hasSize(4).allMatch(l -> l.contains("N=50 "))
                .filteredOn(l -> !l.startsWith("peers-luigi")).allMatch(l -> l.contains("workers=2 "));
        assertThat(BenchmarksTest.bench("--list", "--only", "peers-pgbench").out().lines()).hasSize(2);
    }

    @Test
    void withoutLuigiSrcTheLuigiRowIsSkippedAndSaysWhatToSet(@TempDir Path tmp) throws Exception {
        Runner runner = runner(tmp, Map.of());
        Runner.Unit unit = Peers.luigi(10);

        List<Row> rows = unit.body().run(runner, unit.keys());

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.status).isEqualTo(Row.Status.SKIPPED);
            assertThat(r.noteText()).isEqualTo("skipped: set LUIGI_SRC to a Luigi source checkout");
        });
    }

    /** The harness's side of the Luigi row, on a stand-in for Luigi's API: PYTHONPATH, the script, its result line. */
    @Test
    void theLuigiRowRunsPythonWithLuigiSrcOnItsPath(@TempDir Path tmp) throws Exception {
        assumeTrue(python3(), "python3 is not on the PATH");
        Path src = tmp.resolve("luigi-src");
        Files.createDirectories(src.resolve("luigi"));
        Files.writeString(src.resolve("luigi/__init__.py"), """
                class IntParameter:
                    pass
                class Task:
                    def __init__(self, **params):
                        self.__dict__.update(params)
                class WrapperTask(Task):
                    pass
                def build(tasks, local_scheduler, workers, log_level):
                    assert local_scheduler and workers == 1
                    leaves = tasks[0].requires()
                    for leaf in leaves:
                        leaf.run()
                    return all(leaf.complete() for leaf in leaves)
                """, StandardCharsets.UTF_8);
        Runner runner = runner(tmp, Map.of(Peers.LUIGI_SRC_ENV, src.toString()));
        Runner.Unit unit = Peers.luigi(5);

        List<Row> rows = unit.body().run(runner, unit.keys());

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.status).as(r.noteText()).isEqualTo(Row.Status.OK);
            assertThat(r.executionRate).isPositive();
            assertThat(r.noteText()).contains("luigi.build").contains(src.toString());
        });
    }

    static Runner runner(Path tmp, Map<String, String> env) throws Exception {
        Options options = Options.parse(new String[] {"--no-pg", "--runs", "1", "--work", tmp.resolve("work").toString()}, env);
        return new Runner(options, Build.at(tmp), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "");
    }

    private static boolean python3() {
        try {
            return new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Row row(String id, int n, int workers, Row.Db db, double executionRate, double tasksPerSecond) {
        Row row = new Row(new Row.Key(id, null, n, workers, db));
        row.executionRate = executionRate;
        row.tasksPerSecond = tasksPerSecond;
        return row;
    }
}
