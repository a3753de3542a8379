package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import astra.bench.Benchmarks;
import astra.core.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks of issue 6 still run: {@code Benchmarks --smoke} (tiny N, one run per case) on
 * the packaged launcher and bench jar, as {@code astra-bench/bench.sh --smoke} runs them. It
 * asserts that every case has a row and none failed, never a time.
 *
 * <p>PostgreSQL comes from {@code $ASTRA_TEST_PG_URL}: the harness connects to that URL's server
 * and drops and creates a database of its own, {@code astra_bench_smoke} (not the developer's
 * {@code astra_bench}). Without it the PostgreSQL rows are skipped, and say so; with
 * {@code ASTRA_TEST_REQUIRE_PG=1} this test fails instead.
 */
class BenchmarkSmokeIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final List<String> SQLITE_CASES = List.of("sched-bulk", "sched-custom-serial", "sched-custom-parallel", "sched-custom-set",
            "throughput", "child-startup-serial", "child-startup-together", "idle-child");
    static final List<String> POSTGRES_CASES = List.of("sched-bulk", "sched-custom-serial", "sched-custom-parallel", "sched-custom-set",
            "throughput", "connections");

    @TempDir
    Path tmp;

    /** A table row's cells: case, N, workers, database, ..., note. */
    record Row(String name, String database, String note) {}

    @Test
    void everyBenchmarkCaseRunsInSmokeModeAndHasARow() throws Exception {
        String pg = System.getenv(TestDatabases.PG_URL_ENV);
        boolean havePg = pg != null && !pg.isBlank();
        if (!havePg && "1".equals(System.getenv(TestDatabases.REQUIRE_PG_ENV))) {
            fail("the benchmark smoke test needs PostgreSQL (" + TestDatabases.REQUIRE_PG_ENV + "=1): set "
                    + TestDatabases.PG_URL_ENV + "=jdbc:postgresql://...");
        }
        Path table = tmp.resolve("bench-results.md");
        List<String> args = new ArrayList<>(List.of("--smoke", "--root", ROOT.toString(), "--out", table.toString(),
                "--work", tmp.resolve("work").toString(), "--pg-database", "astra_bench_smoke"));
        args.addAll(havePg ? List.of("--pg", pg.strip(), "--require-pg") : List.of("--no-pg"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        int code = Benchmarks.run(args.toArray(String[]::new), System.out, new PrintStream(tee(log, System.err), true,
                StandardCharsets.UTF_8));

        String progress = log.toString(StandardCharsets.UTF_8);
        assertThat(code).as(progress).isZero();
        List<Row> rows = rows(table);
        assertThat(rows).as("rows with a failure").noneMatch(r -> r.note().contains("FAILED"));
        for (String name : SQLITE_CASES) {
            assertThat(rows).as(name + " on SQLite").anyMatch(r -> r.name().startsWith(name) && r.database().equals("SQLite")
                    && !r.note().startsWith("skipped"));
        }
        for (String name : POSTGRES_CASES) {
            List<Row> pgRows = rows.stream().filter(r -> r.name().startsWith(name) && r.database().equals("PostgreSQL")).toList();
            assertThat(pgRows).as(name + " on PostgreSQL").isNotEmpty();
            if (havePg) {
                assertThat(pgRows).as(name + " on PostgreSQL").noneMatch(r -> r.note().startsWith("skipped"));
            } else {
                assertThat(pgRows).as(name + " on PostgreSQL, without one").allMatch(r -> r.note().startsWith("skipped: --no-pg"));
            }
        }
    }

    private static List<Row> rows(Path table) throws IOException {
        assertThat(table).exists();
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(table, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| ") || line.startsWith("| case ")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            rows.add(new Row(cells[0].strip(), cells[3].strip(), cells[cells.length - 1].strip()));
        }
        return rows;
    }

    /** Writes to both: kept for the assertion's message, and shown as it comes. */
    private static OutputStream tee(OutputStream kept, OutputStream shown) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                kept.write(b);
                shown.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                kept.write(b, off, len);
                shown.write(b, off, len);
            }
        };
    }
}
