package astra.bench;

import astra.bench.Row.Db;
import astra.bench.Row.Key;
import astra.bench.Runner.CaseDir;
import astra.bench.Runner.Measured;
import astra.bench.Runner.Unit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark cases and their sizes, full and smoke. Each case runs the built
 * {@code astra run} on a synthetic graph of the astra-bench module:
 * <ol>
 * <li>{@code sched-bulk}: {@code FanOut --n N} (default completion, checked in bulk) after a prep
 * run made every task done;
 * <li>{@code sched-custom-serial|parallel}: {@code CheckedRows --n N}, whose leaves answer
 * {@code complete()} with one query each, all done, {@code [core] parallel_scheduling} off and on;
 * {@code sched-custom-set}: {@code CheckedRowsSet --n N}, the same rows asked a thousand per query
 * ({@code completeEach()}), parallel scheduling off;
 * <li>{@code throughput}: {@code InsertRows --n N} on a fresh database, each task inserting a row;
 * <li>{@code connections}: the same on PostgreSQL with many workers, for peak connections and sessions;
 * <li>{@code peers-*}: db-scheduler, pgbench and Luigi doing the like ({@link Peers}), beside the
 * throughput rows on PostgreSQL they are compared with;
 * <li>{@code small-run}: {@code InsertRows --n 1000 --workers 1}, end to end (Luigi's size);
 * {@code fanout-run}: {@code FanOut --n 100000} run with 8 workers (a wrapper no leaf's release may write);
 * {@code million-run|check}: {@code FanOut --n 1000000} on PostgreSQL, run, then found complete;
 * <li>{@code child-startup-serial|together} and {@code idle-child}, in {@link WorkerJvmCases}:: worker JVMs started one per run, or all at once;
 * {@code idle-child}: the memory of a worker with nothing to do;
 * <li>{@code ui-*}, in {@link UiCases} (PostgreSQL): {@code astra ui} on a database holding a finished
 * run of a million tasks and a live run of 100,000, written by {@link UiScaleData}: the time to
 * write them ({@code ui-scale-data}), each API call and the page over HTTP ({@code ui-api}), the
 * graph page rendered in headless Chromium ({@code ui-graph-page}), and {@code InsertRows --n 10000
 * --workers 8} alone and with its run page open ({@code ui-throughput}).
 * </ol>
 */
final class Cases {

    static final List<Integer> SCHED_N = List.of(1_000, 10_000, 100_000);
    static final List<Integer> CUSTOM_N = List.of(1_000, 10_000);
    /** Custom completion at this size only if the smaller sizes predict a run under {@link #CUSTOM_LARGE_LIMIT_S}. */
    static final int CUSTOM_LARGE_N = 100_000;
    static final double CUSTOM_LARGE_LIMIT_S = 30;
    static final int THROUGHPUT_N = 10_000;
    static final List<Integer> THROUGHPUT_WORKERS = List.of(1, 2, 8);
    /** The throughput rows on PostgreSQL compared with the peers, which run with as many threads or clients. */
    static final List<Integer> PEER_WORKERS = List.of(1, 8);
    static final int LUIGI_N = 1_000;
    /** A small run end to end (JVM and pool start-up included), the size Luigi's row runs. */
    static final int SMALL_RUN_N = 1_000;
    /** A wide fan-out run: one wrapper over this many leaves, which no leaf's release may write. */
    static final int FANOUT_RUN_N = 100_000;
    static final int FANOUT_RUN_WORKERS = 8;
    static final int MILLION_N = 1_000_000;
    static final int MILLION_WORKERS = 8;
    static final int SMOKE_PEER_WORKERS = 2;
    static final List<Integer> CONNECTION_WORKERS = List.of(8, 32);
    static final int CHILDREN = 16;
    /** Tasks for the 16 children started at once: more than one each. */
    static final int TOGETHER_TASKS = 64;
    static final int IDLE_SLEEP_MS = 3_000;
    static final int PREP_WORKERS = 2;
    static final int SMOKE_N = 50;

    private static final List<Db> DBS = List.of(Db.SQLITE, Db.POSTGRES);

    private Cases() {}

    static List<Unit> plan(Options o) {
        return o.smoke() ? smoke(o) : full(o);
    }

    private static List<Unit> full(Options o) {
        List<Unit> plan = new ArrayList<>();
        for (Db db : DBS) {
            SCHED_N.forEach(n -> plan.add(schedBulk(n, db)));
        }
        for (Db db : DBS) {
            CUSTOM_N.forEach(n -> plan.add(schedCustom(n, db, false)));
            plan.add(schedCustom(CUSTOM_LARGE_N, db, true));
        }
        for (Db db : DBS) {
            for (int w : THROUGHPUT_WORKERS) {
                Key key = new Key("throughput", null, THROUGHPUT_N, w, db);
                plan.add(throughput(db == Db.POSTGRES && PEER_WORKERS.contains(w) ? key.alsoIn(Peers.GROUP) : key));
            }
        }
        plan.addAll(Peers.units(THROUGHPUT_N, PEER_WORKERS, LUIGI_N));
        DBS.forEach(db -> plan.add(run(new Key("small-run", null, SMALL_RUN_N, 1, db), "InsertRows")));
        DBS.forEach(db -> plan.add(run(new Key("fanout-run", null, FANOUT_RUN_N, FANOUT_RUN_WORKERS, db), "FanOut")));
        plan.add(million(MILLION_N, MILLION_WORKERS));
        CONNECTION_WORKERS.forEach(w -> plan.add(throughput("connections", THROUGHPUT_N, w, Db.POSTGRES)));
        o.childJvmOptions().forEach(jvm -> plan.add(WorkerJvmCases.childStartupSerial(jvm, CHILDREN)));
        o.childJvmOptions().forEach(jvm -> plan.add(WorkerJvmCases.childStartupTogether(jvm, CHILDREN, TOGETHER_TASKS)));
        plan.add(WorkerJvmCases.idleChild(IDLE_SLEEP_MS));
        plan.add(UiCases.unit(false));
        return plan;
    }

    /** Every kind of case once, tiny: proves the harness and the graphs still work, in about a minute. */
    private static List<Unit> smoke(Options o) {
        List<Unit> plan = new ArrayList<>();
        DBS.forEach(db -> plan.add(schedBulk(SMOKE_N, db)));
        DBS.forEach(db -> plan.add(schedCustom(SMOKE_N, db, false)));
        plan.add(throughput("throughput", SMOKE_N, SMOKE_PEER_WORKERS, Db.SQLITE));
        plan.add(throughput(new Key("throughput", null, SMOKE_N, SMOKE_PEER_WORKERS, Db.POSTGRES).alsoIn(Peers.GROUP)));
        plan.addAll(Peers.units(SMOKE_N, List.of(SMOKE_PEER_WORKERS), SMOKE_N));
        plan.add(throughput("connections", SMOKE_N, 3, Db.POSTGRES));
        DBS.forEach(db -> plan.add(run(new Key("fanout-run", null, SMOKE_N, SMOKE_PEER_WORKERS, db), "FanOut")));
        plan.add(million(SMOKE_N, SMOKE_PEER_WORKERS));
        plan.add(WorkerJvmCases.childStartupSerial(o.childJvmOptions().get(0), 1));
        plan.add(WorkerJvmCases.childStartupTogether(o.childJvmOptions().get(0), 2, 8));
        plan.add(WorkerJvmCases.idleChild(1_000));
        plan.add(UiCases.unit(true));
        return plan;
    }

    // ---- 1. scheduling an all-complete graph, default (bulk) completion ----

    static Unit schedBulk(int n, Db db) {
        Key key = new Key("sched-bulk", null, n, 1, db);
        return new Unit(List.of(key), (r, selected) -> {
            CaseDir d = r.caseDir("sched-bulk-" + n + "-" + slug(db));
            Path cfg = r.config(d, "utah.cfg", false, "");
            r.freshDatabase(d, db);
            List<String> graph = args(List.of("FanOut", "--n", Integer.toString(n), "--config", cfg.toString()), r.dbArgs(db));
            int prepWorkers = prepWorkers(r);
            AstraRun.Result prep = r.prepare(d, "prep", args(graph, List.of("--workers", Integer.toString(prepWorkers))));
            List<Measured> runs = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                runs.add(r.measure(d, "run-" + k, db, args(graph, List.of("--workers", "1")), false));
            }
            Row row = summarize(key, runs);
            schedulingNote(row, runs);
            row.note(String.format(Locale.ROOT, "prep run (--workers %d) %.1f s", prepWorkers, prep.wallSeconds()));
            return done(r, d, List.of(row));
        });
    }

    // ---- 1b. scheduling an all-complete graph whose tasks have their own complete() ----

    /** The custom-completion cases: their graph and whether parallel scheduling is on. */
    private enum Custom {
        SERIAL("sched-custom-serial", "CheckedRows", false),
        PARALLEL("sched-custom-parallel", "CheckedRows", true),
        SET("sched-custom-set", "CheckedRowsSet", false);

        final String id;
        final String graph;
        final boolean parallel;

        Custom(String id, String graph, boolean parallel) {
            this.id = id;
            this.graph = graph;
            this.parallel = parallel;
        }

        static Custom of(Key key) {
            for (Custom c : values()) {
                if (c.id.equals(key.id())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not a custom-completion case: " + key.id());
        }

        String label() {
            return id.substring("sched-custom-".length());
        }
    }

    static Unit schedCustom(int n, Db db, boolean onlyIfFast) {
        List<Key> keys = Arrays.stream(Custom.values()).map(c -> new Key(c.id, null, n, 1, db)).toList();
        return new Unit(keys, (r, selected) -> {
            List<Row> skipped = new ArrayList<>();
            List<Key> toRun = new ArrayList<>();
            for (Key k : selected) {
                Optional<String> why = onlyIfFast ? tooSlow(r, k) : Optional.empty();
                if (why.isPresent()) {
                    skipped.add(new Row(k).skip(why.get()));
                } else {
                    toRun.add(k);
                }
            }
            if (toRun.isEmpty()) {
                return skipped;
            }
            CaseDir d = r.caseDir("sched-custom-" + n + "-" + slug(db));
            Map<Key, Path> configs = new HashMap<>();
            for (Key k : toRun) {
                boolean parallel = Custom.of(k).parallel;
                configs.put(k, r.config(d, parallel ? "parallel.cfg" : "serial.cfg", parallel, ""));
            }
            r.freshDatabase(d, db);
            // CheckedRowSet(i) shares CheckedRow(i)'s row, so this one prep run makes both graphs complete.
            List<String> prepGraph = args(List.of("CheckedRows", "--n", Integer.toString(n)), r.dbArgs(db));
            Path prepCfg = r.config(d, "utah.cfg", false, "");
            int prepWorkers = prepWorkers(r);
            AstraRun.Result prep = r.prepare(d, "prep", args(prepGraph, List.of("--config", prepCfg.toString(), "--workers",
                    Integer.toString(prepWorkers))));
            // The variants share the prepared database (the timed runs only read it) and take turns,
            // so that none has the warmer caches throughout.
            Map<Key, List<Measured>> runs = new HashMap<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                for (Key key : toRun) {
                    Custom c = Custom.of(key);
                    List<String> graph = args(List.of(c.graph, "--n", Integer.toString(n)), r.dbArgs(db));
                    runs.computeIfAbsent(key, x -> new ArrayList<>()).add(r.measure(d, c.label() + "-" + k, db,
                            args(graph, List.of("--config", configs.get(key).toString(), "--workers", "1")), false));
                }
            }
            List<Row> rows = new ArrayList<>(skipped);
            for (Key key : toRun) {
                Custom c = Custom.of(key);
                Row row = summarize(key, runs.get(key));
                r.remember(db, c.id, n, row.wallSeconds, schedulingSeconds(runs.get(key)));
                schedulingNote(row, runs.get(key));
                row.note(c.graph + ", parallel_scheduling = " + c.parallel);
                row.note(String.format(Locale.ROOT, "prep run (--workers %d) %.1f s, shared by the %d rows", prepWorkers,
                        prep.wallSeconds(), toRun.size()));
                rows.add(row);
            }
            rows.sort((a, b) -> keys.indexOf(a.key) - keys.indexOf(b.key));
            return done(r, d, rows);
        });
    }

    /** The prep run is not timed: in smoke mode one worker JVM does, sparing the 2-core machine a second. */
    private static int prepWorkers(Runner r) {
        return r.options.smoke() ? 1 : PREP_WORKERS;
    }

    /** Why the large custom-completion case is left out: the smaller sizes predict a run over the limit. */
    private static Optional<String> tooSlow(Runner r, Key k) {
        Optional<Double> predicted = r.predict(k.db(), k.id(), k.n());
        if (predicted.isEmpty()) {
            return Optional.of("decided from the next smaller size, which did not run here");
        }
        if (predicted.get() >= CUSTOM_LARGE_LIMIT_S) {
            return Optional.of(String.format(Locale.ROOT, "the smaller size predicts ~%.0f s a run (limit %.0f s)",
                    predicted.get(), CUSTOM_LARGE_LIMIT_S));
        }
        return Optional.empty();
    }

    private static void schedulingNote(Row row, List<Measured> runs) {
        Double seconds = schedulingSeconds(runs);
        if (seconds != null) {
            row.note("astra: scheduled in " + Stats.ms(seconds * 1000));
        }
    }

    /** The median of the scheduling times astra printed ("scheduled N task(s) in X ms"), if it printed them. */
    private static Double schedulingSeconds(List<Measured> runs) {
        List<Long> ms = runs.stream().filter(m -> m.run().schedulingMillis().isPresent())
                .map(m -> m.run().schedulingMillis().getAsLong()).toList();
        return ms.isEmpty() ? null : Stats.median(ms) / 1000;
    }

    // ---- 2 and 3. trivial-task throughput, connections and sessions ----

    static Unit throughput(String id, int n, int workers, Db db) {
        return throughput(new Key(id, null, n, workers, db));
    }

    static Unit throughput(Key key) {
        return run(key, "InsertRows");
    }

    /**
     * {@code graph --n N --workers W} on a fresh database, each run: wall time, and the execution
     * rate from the run's history.
     */
    static Unit run(Key key, String graph) {
        String id = key.id();
        int n = key.n();
        int workers = key.workers();
        Db db = key.db();
        return new Unit(List.of(key), (r, selected) -> {
            CaseDir d = r.caseDir(id + "-" + workers + "-" + slug(db));
            Path cfg = r.config(d, "utah.cfg", false, "");
            List<Measured> runs = new ArrayList<>();
            List<RunDatabase.Execution> executions = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                r.freshDatabase(d, db);
                runs.add(r.measure(d, "run-" + k, db, args(List.of(graph, "--n", Integer.toString(n), "--workers",
                        Integer.toString(workers), "--config", cfg.toString()), r.dbArgs(db)), false));
                try (Connection c = connect(r, d, db)) {
                    RunDatabase.execution(c).ifPresent(executions::add);
                }
            }
            Row row = summarize(key, runs);
            row.tasksPerSecond = n / row.wallSeconds;
            if (!executions.isEmpty()) {
                row.executionRate = Stats.median(executions.stream().map(RunDatabase.Execution::rate).toList());
                row.note(String.format(Locale.ROOT, "execution %s tasks/s, %s per task per worker (first claim to last done)",
                        Stats.num(row.executionRate),
                        Stats.ms(Stats.median(executions.stream().map(e -> e.perTaskMillis(workers)).toList()))));
            } else {
                row.note("no RUNNING/DONE events found");
            }
            return done(r, d, List.of(row));
        });
    }

    /**
     * A graph of a million tasks on PostgreSQL: one measured run of {@code FanOut --n N} on a fresh
     * database (planning, then every task run: its execution rate, for comparison with the 10,000-task
     * throughput row), then a second run of the same command, which plans and finds all of it complete.
     */
    static Unit million(int n, int workers) {
        Key runKey = new Key("million-run", null, n, workers, Db.POSTGRES);
        Key checkKey = new Key("million-check", null, n, 1, Db.POSTGRES);
        return new Unit(List.of(runKey, checkKey), (r, selected) -> {
            CaseDir d = r.caseDir("million-" + n);
            Path cfg = r.config(d, "utah.cfg", false, "");
            r.freshDatabase(d, Db.POSTGRES);
            List<String> graph = args(List.of("FanOut", "--n", Integer.toString(n), "--config", cfg.toString()),
                    r.dbArgs(Db.POSTGRES));
            Measured run = r.measure(d, "run", Db.POSTGRES, args(graph, List.of("--workers", Integer.toString(workers))), false);
            Row runRow = summarize(runKey, List.of(run));
            runRow.tasksPerSecond = n / runRow.wallSeconds;
            try (Connection c = connect(r, d, Db.POSTGRES)) {
                RunDatabase.execution(c).ifPresent(e -> {
                    runRow.executionRate = e.rate();
                    runRow.note(String.format(Locale.ROOT, "execution %s tasks/s (first claim to last done)",
                            Stats.num(e.rate())));
                });
            }
            schedulingNote(runRow, List.of(run));
            Measured check = r.measure(d, "check", Db.POSTGRES, args(graph, List.of("--workers", "1")), false);
            Row checkRow = summarize(checkKey, List.of(check));
            schedulingNote(checkRow, List.of(check));
            checkRow.note("every task already done by the run above");
            return done(r, d, List.of(runRow, checkRow));
        });
    }

    // ---- shared ----

    /** The figures of a case's measured runs: median wall, peaks, the budget astra printed. */
    static Row summarize(Key key, List<Measured> runs) {
        Row row = new Row(key);
        List<Double> walls = runs.stream().map(m -> m.run().wallSeconds()).toList();
        row.wallSeconds = Stats.median(walls);
        long rss = runs.stream().mapToLong(m -> m.run().peakRssKb()).max().orElse(0);
        row.peakRssMb = rss > 0 ? rss / 1024.0 : null;
        row.budget = runs.stream().filter(m -> m.run().budget().isPresent()).map(m -> m.run().budget().getAsInt())
                .max(Integer::compare).orElse(null);
        row.peakConnections = runs.stream().flatMap(m -> m.peakConnections().stream()).max(Integer::compare).orElse(null);
        row.sessions = runs.stream().flatMap(m -> m.sessions().stream()).max(Long::compare).orElse(null);
        boolean overBudget = false;
        if (row.peakConnections != null && row.budget != null && row.peakConnections > row.budget) {
            row.note("PEAK ABOVE THE BUDGET");
            overBudget = true;
        }
        if (row.sessions != null && row.budget != null && row.sessions > row.budget) {
            row.note("more sessions than the budget");
            overBudget = true;
        }
        if (overBudget || key.id().equals("connections")) {
            runs.stream().flatMap(m -> m.backendsByName().stream()).reduce((a, b) -> b)
                    .ifPresent(seen -> row.note("backends seen in the last run: " + seen));
        }
        // pg_stat_database.sessions against the poller's count: the poller can only miss a backend
        // shorter than its interval, so a counter above it is plausible, one below it is not.
        for (int k = 0; k < runs.size(); k++) {
            Measured m = runs.get(k);
            if (m.sessions().isPresent() && m.backendsSeen().isPresent()
                    && !m.sessions().get().equals((long) m.backendsSeen().get())) {
                row.note("run " + (k + 1) + ": sessions counter " + m.sessions().get() + ", backends seen "
                        + m.backendsSeen().get());
            }
        }
        runs.stream().flatMap(m -> m.problem().stream()).distinct().forEach(row::note);
        String range = Stats.range(walls);
        if (!range.isEmpty()) {
            row.note(range);
        }
        return row;
    }

    static List<Row> done(Runner r, CaseDir d, List<Row> rows) {
        r.finished(d, rows);
        return rows;
    }

    static Connection connect(Runner r, CaseDir d, Db db) throws SQLException {
        return db == Db.POSTGRES ? r.postgres.connectAstraState() : RunDatabase.sqlite(d.cwd());
    }

    static List<String> args(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    static String slug(Db db) {
        return db == Db.POSTGRES ? "pg" : "sqlite";
    }
}
