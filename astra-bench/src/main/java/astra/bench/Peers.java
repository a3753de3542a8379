package astra.bench;

import astra.bench.Row.Db;
import astra.bench.Row.Key;
import astra.bench.Runner.CaseDir;
import astra.bench.Runner.CaseFailed;
import astra.bench.Runner.Measured;
import astra.bench.Runner.Unit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The peers measured beside Astra's throughput rows (issue 14), each on a fresh database per run:
 * <ul>
 * <li>{@code peers-db-scheduler}: db-scheduler in a JVM of its own ({@code astra.bench.peers.DbSchedulerPeer}),
 * N one-time executions each inserting one row, as {@code InsertRows} does;
 * <li>{@code peers-pgbench}: pgbench running a queue's claim and done transactions, the ceiling
 * ({@link Pgbench});
 * <li>{@code peers-luigi}: Luigi's local scheduler with trivial tasks, only when {@code LUIGI_SRC}
 * names a Luigi source checkout.
 * </ul>
 * {@code --only peers} selects these and the Astra rows they are compared with ({@link PeerRatios}).
 */
final class Peers {

    /** What {@code --only} selects them by, with the Astra rows they are compared with. */
    static final String GROUP = "peers";
    static final String PREFIX = "peers-";
    static final String DB_SCHEDULER = PREFIX + "db-scheduler";
    static final String PGBENCH = PREFIX + "pgbench";
    static final String LUIGI = PREFIX + "luigi";
    static final String LUIGI_SRC_ENV = "LUIGI_SRC";
    static final String DB_SCHEDULER_DDL = "/astra/bench/peers/db-scheduler-postgresql_tables.sql";

    /**
     * A Luigi run: a wrapper requiring {@code n} tasks that do nothing; a task is complete once it
     * ran (Luigi keeps one instance per parameters, so the flag is seen by the later checks).
     */
    static final String LUIGI_SCRIPT = """
            import sys, time
            import luigi

            class Leaf(luigi.Task):
                i = luigi.IntParameter()
                def run(self):
                    self.ran = True
                def complete(self):
                    return getattr(self, "ran", False)

            class All(luigi.WrapperTask):
                n = luigi.IntParameter()
                def requires(self):
                    return [Leaf(i=i) for i in range(self.n)]

            n = int(sys.argv[1])
            t0 = time.monotonic()
            ok = luigi.build([All(n=n)], local_scheduler=True, workers=1, log_level="WARNING")
            print("peer-result ok=%s tasks=%d build_ms=%.1f" % (ok, n, (time.monotonic() - t0) * 1000))
            sys.exit(0 if ok else 1)
            """;

    private Peers() {}

    /** The peer units: db-scheduler and pgbench for each number of workers, then Luigi. */
    static List<Unit> units(int n, List<Integer> workers, int luigiN) {
        List<Unit> units = new ArrayList<>();
        workers.forEach(w -> units.add(dbScheduler(n, w)));
        workers.forEach(w -> units.add(pgbench(n, w)));
        units.add(luigi(luigiN));
        return units;
    }

    // ---- db-scheduler ----

    static Unit dbScheduler(int n, int threads) {
        Key key = new Key(DB_SCHEDULER, null, n, threads, Db.POSTGRES);
        return new Unit(List.of(key), (r, selected) -> {
            Path peerLib = r.build.peerLib();
            if (!Files.isDirectory(peerLib)) {
                throw new CaseFailed(peerLib + " does not exist: build astra-bench (mvn -B -ntp package -DskipTests)");
            }
            CaseDir d = r.caseDir("peers-db-scheduler-" + threads);
            String classpath = String.join(java.io.File.pathSeparator, r.build.cliJar().getParent().resolve("*").toString(),
                    r.build.benchJar().toString(), peerLib.resolve("*").toString());
            List<String> command = List.of(r.build.java().toString(), "-cp", classpath, "astra.bench.peers.DbSchedulerPeer",
                    r.postgres.benchUrl(), Integer.toString(n), Integer.toString(threads),
                    Long.toString(r.options.timeout().toSeconds()));
            List<Measured> runs = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            List<Double> scheduleMs = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                r.postgres.recreate();
                try (Connection c = r.postgres.connectBench()) {
                    createDbSchedulerTables(c);
                }
                Measured m = r.measurePeer(d, "run-" + k, Db.POSTGRES, command, Map.of());
                runs.add(m);
                Map<String, String> result = result(m.run().stdout());
                rates.add(Double.parseDouble(result.get("executed")) * 1000 / Double.parseDouble(result.get("execute_ms")));
                scheduleMs.add(Double.parseDouble(result.get("schedule_ms")));
                try (Connection c = r.postgres.connectBench()) {
                    checkCount(c, "select count(*) from example_bench_rows", n, "rows inserted");
                    checkCount(c, "select count(*) from scheduled_tasks", 0, "executions left in scheduled_tasks");
                }
            }
            Row row = Cases.summarize(key, runs);
            row.tasksPerSecond = n / row.wallSeconds;
            row.executionRate = Stats.median(rates);
            row.note(String.format(Locale.ROOT, "execution %s executions/s (first start to last completion); %d one-time"
                    + " executions scheduled up front in %s (in wall); own JVM (java defaults), JVM start in wall;"
                    + " db-scheduler 16.7.1, HikariCP, pollUsingLockAndFetch(0.5, 1.0), polling 10 ms",
                    Stats.num(row.executionRate), n, Stats.ms(Stats.median(scheduleMs))));
            return finished(r, d, row);
        });
    }

    /** db-scheduler's own table (its repository's DDL, a resource here) and the rows table of {@code InsertRows}' shape. */
    static void createDbSchedulerTables(Connection c) throws SQLException, IOException {
        String ddl;
        try (InputStream in = Peers.class.getResourceAsStream(DB_SCHEDULER_DDL)) {
            if (in == null) {
                throw new IOException("resource " + DB_SCHEDULER_DDL + " is missing from astra-bench");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
            s.execute("create table example_bench_rows (task_id varchar(255) not null primary key, i integer not null)");
        }
    }

    // ---- pgbench ----

    static Unit pgbench(int n, int clients) {
        Key key = new Key(PGBENCH, null, n, clients, Db.POSTGRES);
        return new Unit(List.of(key), (r, selected) -> {
            Optional<Path> pgbench = Pgbench.find(System.getenv("PATH"));
            if (pgbench.isEmpty()) {
                return List.of(new Row(key).skip("pgbench not found (on the PATH or in /usr/lib/postgresql/*/bin)"));
            }
            CaseDir d = r.caseDir("peers-pgbench-" + clients);
            Path script = d.dir().resolve("claim-done.sql");
            Files.writeString(script, Pgbench.SCRIPT, StandardCharsets.UTF_8);
            int perClient = Pgbench.perClient(n, clients);
            int total = perClient * clients;
            List<Measured> runs = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                r.postgres.recreate();
                try (Connection c = r.postgres.connectBench()) {
                    Pgbench.createTables(c, total, clients);
                }
                Measured m = r.measurePeer(d, "run-" + k, Db.POSTGRES, Pgbench.command(pgbench.get(), script, clients, perClient),
                        Pgbench.environment(r.postgres.benchUrl()));
                runs.add(m);
                String out = Files.readString(m.run().stdout(), StandardCharsets.UTF_8);
                Pgbench.Output o = Pgbench.parse(out).orElseThrow(() -> new CaseFailed("no tps in pgbench's output: "
                        + m.run().stdout()));
                try (Connection c = r.postgres.connectBench()) {
                    long[] doneAndEvents = Pgbench.doneAndEvents(c);
                    if (o.processed() != total || o.failed() != 0 || doneAndEvents[0] != total || doneAndEvents[1] != total) {
                        throw new CaseFailed(String.format(Locale.ROOT, "pgbench ran %d of %d tasks (%d failed); %d done, %d events",
                                o.processed(), total, o.failed(), doneAndEvents[0], doneAndEvents[1]));
                    }
                }
                rates.add(o.tps());
            }
            Row row = Cases.summarize(key, runs);
            row.tasksPerSecond = total / row.wallSeconds;
            row.executionRate = Stats.median(rates);
            row.note(String.format(Locale.ROOT, "execution %s tasks/s (pgbench tps without connection time, one claim"
                    + " + one done transaction a task); -M prepared, synchronous_commit on, %d × %d (clients × tasks each)%s",
                    Stats.num(row.executionRate), clients, perClient, total == n ? "" : " (" + total + " tasks)"));
            return finished(r, d, row);
        });
    }

    // ---- Luigi ----

    static Unit luigi(int n) {
        Key key = new Key(LUIGI, "local scheduler", n, 1, Db.MEMORY);
        return new Unit(List.of(key), (r, selected) -> {
            if (r.options.luigiSrc().isEmpty()) {
                return List.of(new Row(key).skip("set " + LUIGI_SRC_ENV + " to a Luigi source checkout"));
            }
            CaseDir d = r.caseDir("peers-luigi");
            String src = r.options.luigiSrc().get().toAbsolutePath().toString();
            String inherited = System.getenv("PYTHONPATH");
            Map<String, String> env = new HashMap<>();
            env.put("PYTHONPATH", inherited == null || inherited.isBlank() ? src : src + java.io.File.pathSeparator + inherited);
            List<Measured> runs = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                Measured m = r.measurePeer(d, "run-" + k, Db.MEMORY, List.of("python3", "-c", LUIGI_SCRIPT, Integer.toString(n)), env);
                runs.add(m);
                rates.add(n * 1000 / Double.parseDouble(result(m.run().stdout()).get("build_ms")));
            }
            Row row = Cases.summarize(key, runs);
            row.tasksPerSecond = n / row.wallSeconds;
            row.executionRate = Stats.median(rates);
            row.note(String.format(Locale.ROOT, "execution %s tasks/s (luigi.build: 1 worker, local scheduler, tasks that"
                    + " do nothing); python3 start and import in wall; LUIGI_SRC=%s", Stats.num(row.executionRate), src));
            return finished(r, d, row);
        });
    }

    // ---- shared ----

    /** The {@code peer-result key=value ...} line a peer printed last. */
    static Map<String, String> result(Path stdout) throws IOException, CaseFailed {
        List<String> lines = Files.exists(stdout) ? Files.readAllLines(stdout, StandardCharsets.UTF_8) : List.of();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("peer-result ")) {
                return parseResult(lines.get(i));
            }
        }
        throw new CaseFailed("no peer-result line in " + stdout);
    }

    static Map<String, String> parseResult(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring("peer-result ".length()).strip().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }

    private static void checkCount(Connection c, String sql, long expected, String what) throws SQLException, CaseFailed {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new CaseFailed(what + ": " + rs.getLong(1) + ", expected " + expected);
            }
        }
    }

    private static List<Row> finished(Runner r, CaseDir d, Row row) {
        r.finished(d, List.of(row));
        return List.of(row);
    }
}
