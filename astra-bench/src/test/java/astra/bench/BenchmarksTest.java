package astra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's own logic, without running astra: options, the table, the small helpers. */
class BenchmarksTest {

    record Outcome(int code, String out, String err) {}

    static Outcome bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Benchmarks.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsExitTwoWithAMessageAndNoStackTrace() {
        for (String[] args : List.of(new String[] {"--runs", "0"}, new String[] {"--runs", "three"},
                new String[] {"--runs"}, new String[] {"--frobnicate"}, new String[] {"--only", "nosuchcase"},
                new String[] {"--pg", "mysql://db"}, new String[] {"--pg-database", "Bench; drop"},
                new String[] {"--no-pg", "--require-pg"}, new String[] {"--smoke=yes"}, new String[] {"--database", "oracle"},
                new String[] {"--max-n", "-1"})) {
            Outcome o = bench(args);
            assertThat(o.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(o.err()).as(String.join(" ", args)).startsWith("bench: ").doesNotContain("\tat ");
        }
        assertThat(bench("--runs", "0").err()).contains("--runs must be at least 1, got 0");
        assertThat(bench("--only", "nosuchcase").err()).contains("--only 'nosuchcase' matches no case")
                .contains("sched-bulk").contains("throughput");
    }

    @Test
    void helpListsTheOptions() {
        Outcome o = bench("--help");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("--smoke").contains("--runs K").contains("--only").contains("--pg URL")
                .contains("--out FILE").contains("Exit codes");
    }

    @Test
    void theFullPlanHasEveryCaseOfTheIssueAndTheSmokePlanEachOnce() {
        Outcome full = bench("--list");
        assertThat(full.code()).isZero();
        assertThat(full.out()).contains("sched-bulk").contains("N=100000").contains("sched-custom-serial")
                .contains("sched-custom-parallel").contains("sched-custom-set").contains("throughput").contains("connections")
                .contains("workers=32").contains("child-startup-serial [Astra's JVM defaults]")
                .contains("child-startup-together [-XX:TieredStopAtLevel=4]").contains("child-startup-serial [-Xshare:off]").contains("idle-child-sleep3s");

        Outcome smoke = bench("--smoke", "--list", "--only", "sched,idle");
        assertThat(smoke.out().lines()).hasSize(9).allMatch(l -> l.startsWith("sched-") || l.startsWith("idle-child"));

        Outcome filtered = bench("--list", "--only", "sched-bulk", "--database", "pg", "--max-n", "10000");
        assertThat(filtered.out().lines()).hasSize(2).allMatch(l -> l.startsWith("sched-bulk") && l.endsWith("PostgreSQL"))
                .noneMatch(l -> l.contains("N=100000"));
    }

    @Test
    void theBenchmarkDatabaseReplacesTheDatabaseOfTheUrlKeepingItsParameters() {
        assertThat(Postgres.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "astra_bench"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/astra_bench?user=postgres");
        assertThat(Postgres.withDatabase("jdbc:postgresql://db.example:6543/test", "astra_bench_smoke"))
                .isEqualTo("jdbc:postgresql://db.example:6543/astra_bench_smoke");
        assertThat(Postgres.withDatabase("jdbc:postgresql://localhost?user=x", "b")).isEqualTo("jdbc:postgresql://localhost/b?user=x");
    }

    @Test
    void theLargeCustomCaseIsPredictedFromTheNextSmallerSizesWallAndSchedulingTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Options options = Options.parse(new String[] {"--no-pg", "--work", tmp.toString()}, Map.of());
        Runner runner = new Runner(options, Build.at(tmp), new PrintStream(new ByteArrayOutputStream()), "");
        assertThat(runner.predict(Row.Db.SQLITE, "sched-custom-parallel", 100_000)).isEmpty();

        runner.remember(Row.Db.SQLITE, "sched-custom-parallel", 1_000, 2.0, 0.2);
        runner.remember(Row.Db.SQLITE, "sched-custom-parallel", 10_000, 3.0, 1.0);
        runner.remember(Row.Db.SQLITE, "sched-custom-serial", 10_000, 4.0, null);

        assertThat(runner.predict(Row.Db.SQLITE, "sched-custom-parallel", 100_000)).hasValue(3.0 + 1.0 * 9);
        assertThat(runner.predict(Row.Db.SQLITE, "sched-custom-serial", 100_000)).hasValue(40.0);
        assertThat(runner.predict(Row.Db.POSTGRES, "sched-custom-parallel", 100_000)).isEmpty();
    }

    @Test
    void theMedianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4, 1, 3, 2))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void sqliteEventTimesAreReadAsWrittenByJooq() {
        assertThat(RunDatabase.instant("2026-11-30 13:00:11.622676+00:00")).isEqualTo(Instant.parse("2026-11-30T13:00:11.622676Z"));
        assertThat(RunDatabase.instant(java.sql.Timestamp.from(Instant.parse("2026-11-30T13:00:11Z"))))
                .isEqualTo(Instant.parse("2026-11-30T13:00:11Z"));
    }

    @Test
    void aRowShowsDashesForWhatWasNotMeasuredAndKeepsItsCellsApart() {
        Row row = new Row(new Row.Key("throughput", null, 10_000, 8, Row.Db.POSTGRES));
        row.wallSeconds = 5.0;
        row.tasksPerSecond = 2000.0;
        row.peakConnections = 18;
        row.budget = 20;
        row.sessions = 20L;
        row.note("a | b");

        assertThat(row.markdown()).isEqualTo("| throughput | 10,000 | 8 | PostgreSQL | 5.00 | 2,000 | – | 18 (20) | 20 | – | a / b |");
        assertThat(new Row(new Row.Key("sched-bulk", null, 1_000, 1, Row.Db.SQLITE)).fail("exit 3: boom").markdown())
                .isEqualTo("| sched-bulk | 1,000 | 1 | SQLite | – | – | – | – | – | – | FAILED: exit 3: boom |");
    }
}
