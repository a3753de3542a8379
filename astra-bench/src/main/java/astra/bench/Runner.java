package astra.bench;

import astra.bench.Row.Db;
import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the planned cases one after another and keeps the table: gives each case its working
 * directory and a fresh database, runs astra with the measurements around it, and writes the
 * table file after every case, so that an interrupted benchmark still leaves what it measured.
 */
final class Runner {

    /** A case's failure with a message for its row (a run that exited non-zero, say). */
    static final class CaseFailed extends Exception {
        CaseFailed(String message) {
            super(message);
        }
    }

    /** The rows one planned unit produces, for the keys selected by --only. */
    interface Body {
        List<Row> run(Runner runner, List<Row.Key> selected) throws Exception;
    }

    record Unit(List<Row.Key> keys, Body body) {}

    /** A case's directory: its config files, its run logs, and the working directory astra runs in. */
    record CaseDir(Path dir, Path cwd, Path logs) {}

    /** A measured run: the run, and on PostgreSQL its peak connections and the sessions it opened. */
    record Measured(AstraRun.Result run, Optional<Integer> peakConnections, Optional<Long> sessions,
            Optional<Integer> backendsSeen, Optional<String> backendsByName, Optional<String> problem) {}

    final Options options;
    final Build build;
    final PrintStream err;
    final Postgres postgres;
    /** Why the PostgreSQL rows cannot run, if they cannot. */
    final Optional<String> pgProblem;
    private final Path work;
    private final boolean ownWork;
    /**
     * A class-data archive cache of the benchmark's own (XDG_CACHE_HOME), filled by a warm-up run,
     * so that no measured run writes an archive and other users' runs cannot prune ours; in smoke
     * mode, which measures nothing, the user's.
     */
    final Optional<Path> cdsCache;
    private final List<Row> rows = new ArrayList<>();
    private final String header;
    private int caseCount;
    boolean anyKept;
    private boolean cleanedUp;

    Runner(Options options, Build build, PrintStream err, String header) throws IOException {
        this.options = options;
        this.build = build;
        this.err = err;
        this.header = header;
        this.postgres = new Postgres(options.pgUrl(), options.pgDatabase());
        this.pgProblem = options.noPg() ? Optional.of("--no-pg") : postgres.unusable();
        if (options.work() != null) {
            Files.createDirectories(options.work());
            this.work = options.work().toAbsolutePath();
            this.ownWork = false;
        } else {
            this.work = Files.createTempDirectory("astra-bench-");
            this.ownWork = true;
        }
        this.cdsCache = options.smoke() ? Optional.empty() : Optional.of(work.resolve("cache"));
    }

    List<Row> rows() {
        return rows;
    }

    /** Runs every unit with a selected key; a unit's failure fails its rows, not the benchmark. */
    void runAll(List<Unit> plan) throws InterruptedException, IOException {
        if (cdsCache.isPresent()) {
            warmUp(plan);
        }
        for (Unit unit : plan) {
            List<Row.Key> selected = unit.keys().stream().filter(options::selects).toList();
            if (selected.isEmpty()) {
                continue;
            }
            List<Row> produced;
            if (pgProblem.isPresent() && selected.stream().anyMatch(k -> k.db() == Db.POSTGRES)) {
                produced = selected.stream().map(k -> options.requirePg()
                        ? new Row(k).fail("--require-pg and " + pgProblem.get())
                        : new Row(k).skip(pgProblem.get().equals("--no-pg") ? "--no-pg" : pgProblem.get())).toList();
            } else {
                produced = runUnit(unit, selected);
            }
            for (Row row : produced) {
                rows.add(row);
                log("%s %,d %s: %s", row.key.name(), row.key.n(), row.key.db().label,
                        row.status == Row.Status.OK ? String.format(Locale.ROOT, "%.2f s", row.wallSeconds) + " " + row.noteText()
                                : row.noteText());
            }
            writeTable();
        }
    }

    /**
     * Untimed runs that write the class-data archives the measured runs then map: the launcher's,
     * and the workers' for each set of worker JVM options the selected cases use (an archive is
     * keyed by them).
     */
    private void warmUp(List<Unit> plan) throws InterruptedException, IOException {
        List<String> jvmSets = new ArrayList<>(List.of(""));
        boolean childCases = plan.stream().flatMap(u -> u.keys().stream())
                .anyMatch(k -> options.selects(k) && k.id().startsWith("child-startup"));
        if (childCases) {
            options.childJvmOptions().stream().filter(o -> !jvmSets.contains(o.strip())).forEach(o -> jvmSets.add(o.strip()));
        }
        for (String jvm : jvmSets) {
            CaseDir d = caseDir("warm-up");
            Path cfg = config(d, "utah.cfg", false, jvm);
            try {
                prepare(d, "warm-up", List.of("FanOut", "--n", "1", "--workers", "1", "--config", cfg.toString()));
                deleteTree(d.dir());
            } catch (CaseFailed e) {
                log("warm-up failed (the cases will say more): %s; its logs are in %s", e.getMessage(), d.logs());
                anyKept = true;
            } catch (InterruptedException | IOException e) {
                throw e;
            } catch (Exception e) {
                log("warm-up failed: %s", Postgres.oneLine(e));
            }
        }
    }

    private List<Row> runUnit(Unit unit, List<Row.Key> selected) throws InterruptedException {
        try {
            return unit.body().run(this, selected);
        } catch (InterruptedException e) {
            throw e;
        } catch (CaseFailed e) {
            return selected.stream().map(k -> new Row(k).fail(e.getMessage())).toList();
        } catch (Exception e) {
            String why = "harness error: " + e.getClass().getSimpleName() + ": " + Postgres.oneLine(e);
            return selected.stream().map(k -> new Row(k).fail(why)).toList();
        }
    }

    /** The table: a header, then a row per case run so far. */
    String table() {
        StringBuilder b = new StringBuilder(header).append(Row.HEADER);
        rows.forEach(r -> b.append(r.markdown(PeerRatios.cell(r, rows))).append('\n'));
        return b.toString();
    }

    void writeTable() throws IOException {
        Path out = options.out().toAbsolutePath();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, table() + Benchmarks.LEGEND, StandardCharsets.UTF_8);
    }

    boolean anyFailed() {
        return rows.stream().anyMatch(r -> r.status == Row.Status.FAILED);
    }

    // ---- what the cases use ----

    /** A custom-completion size's median wall and the scheduling time astra reported, by database and case. */
    private record Timing(int n, double wallSeconds, Double schedulingSeconds) {}

    private final Map<String, Timing> timings = new HashMap<>();

    /** {@code caseId}: which custom-completion case, e.g. {@code sched-custom-parallel}. */
    void remember(Db db, String caseId, int n, Double wallSeconds, Double schedulingSeconds) {
        if (wallSeconds != null) {
            String key = db + "/" + caseId;
            Timing before = timings.get(key);
            if (before == null || before.n() < n) {
                timings.put(key, new Timing(n, wallSeconds, schedulingSeconds));
            }
        }
    }

    /**
     * The wall a custom-completion run of {@code n} tasks would take, from the largest smaller size
     * that ran: its wall plus its scheduling time (what grows with the graph) scaled to {@code n};
     * without a scheduling time, its wall scaled to {@code n}.
     */
    Optional<Double> predict(Db db, String caseId, int n) {
        Timing t = timings.get(db + "/" + caseId);
        if (t == null || t.n() >= n) {
            return Optional.empty();
        }
        double factor = (double) n / t.n();
        return Optional.of(t.schedulingSeconds() == null ? t.wallSeconds() * factor
                : t.wallSeconds() + t.schedulingSeconds() * (factor - 1));
    }

    CaseDir caseDir(String slug) throws IOException {
        Path dir = work.resolve(String.format(Locale.ROOT, "%02d-%s", ++caseCount, slug));
        Path cwd = dir.resolve("work");
        Path logs = dir.resolve("logs");
        Files.createDirectories(cwd);
        Files.createDirectories(logs);
        return new CaseDir(dir, cwd, logs);
    }

    /** A small utah.cfg for the case, passed to astra run with --config. */
    Path config(CaseDir d, String name, boolean parallelScheduling, String jvmOptions) throws IOException {
        StringBuilder cfg = new StringBuilder("# written by the Astra benchmarks for one case\n[core]\n")
                .append("parallel_scheduling = ").append(parallelScheduling).append('\n');
        if (!jvmOptions.isBlank()) {
            cfg.append("\n[worker]\njvm_options = ").append(jvmOptions.strip()).append('\n');
        }
        Path file = d.dir().resolve(name);
        Files.writeString(file, cfg.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Empties the case's working directory (a new SQLite database) and, on PostgreSQL, recreates the database. */
    void freshDatabase(CaseDir d, Db db) throws IOException, SQLException {
        deleteTree(d.cwd());
        Files.createDirectories(d.cwd());
        if (db == Db.POSTGRES) {
            postgres.recreate();
        }
        // A database in use is already at Astra's schema: migrate it here, so that the measured
        // run's time and sessions are its own (Flyway opens sessions of its own on a fresh one).
        DatabaseSettings settings = db == Db.POSTGRES ? DatabaseSettings.of(postgres.benchUrl(), null)
                : DatabaseSettings.embeddedDefault(d.cwd());
        try (Database migrated = Database.open(settings)) {
            log("  migrated a fresh %s database to schema version %s", db, migrated.schemaVersion().orElse("?"));
        }
    }

    /** --db for PostgreSQL; nothing for SQLite, whose default is ./.astra/astra.db in the working directory. */
    List<String> dbArgs(Db db) {
        return db == Db.POSTGRES ? List.of("--db", postgres.benchUrl()) : List.of();
    }

    /** A run that prepares a case, not measured; its failure fails the case. */
    AstraRun.Result prepare(CaseDir d, String label, List<String> args) throws Exception {
        log("  %s: astra run %s", label, String.join(" ", mask(args)));
        AstraRun.Result r = AstraRun.run(build, d.cwd(), d.logs().resolve(label), args, options.timeout(), false,
                AstraRun.Watcher.NONE, cdsCache);
        if (!r.ok()) {
            throw new CaseFailed(label + " run " + r.failure(options.timeout()));
        }
        log("  %s: %.2f s", label, r.wallSeconds());
        return r;
    }

    /** A measured run; its failure fails the case. */
    Measured measure(CaseDir d, String label, Db db, List<String> args, boolean watchChildren) throws Exception {
        log("  %s: astra run %s", label, String.join(" ", mask(args)));
        return measured(label, db, during -> AstraRun.run(build, d.cwd(), d.logs().resolve(label), args, options.timeout(),
                watchChildren, during, cdsCache));
    }

    /**
     * A measured run of a peer's command (db-scheduler's JVM, pgbench, python); on PostgreSQL
     * with its connections and sessions counted as for astra. Its failure fails the case.
     */
    Measured measurePeer(CaseDir d, String label, Db db, List<String> command, Map<String, String> env) throws Exception {
        log("  %s: %s", label, String.join(" ", mask(command)));
        return measured(label, db, during -> AstraRun.process(command, env, d.cwd(), d.logs().resolve(label),
                options.timeout(), false, during));
    }

    /** Starts a measured process with the watcher it is given. */
    private interface Launch {
        AstraRun.Result start(AstraRun.Watcher during) throws IOException, InterruptedException;
    }

    private Measured measured(String label, Db db, Launch launch) throws Exception {
        if (db != Db.POSTGRES) {
            AstraRun.Result r = launch.start(AstraRun.Watcher.NONE);
            check(label, r);
            return new Measured(r, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        postgres.awaitNoConnections();
        long before = postgres.sessions();
        Postgres.ConnectionCounter counter = postgres.counter();
        AstraRun.Result r = launch.start(counter);
        check(label, r);
        postgres.awaitNoConnections();
        long after = postgres.sessions();
        Optional<Integer> peak = counter.peak() < 0 ? Optional.empty() : Optional.of(counter.peak());
        return new Measured(r, peak, Optional.of(after - before), Optional.of(counter.seenCount()),
                Optional.of(counter.backendsSeen()),
                counter.error().map(e -> "could not count connections: " + e));
    }

    private void check(String label, AstraRun.Result r) throws CaseFailed {
        if (!r.ok()) {
            throw new CaseFailed(label + " " + r.failure(options.timeout()));
        }
        log("  %s: %.2f s", label, r.wallSeconds());
    }

    /** Removes a finished case's directory, unless asked to keep it or the case failed. */
    void finished(CaseDir d, List<Row> produced) {
        if (options.keep() || produced.stream().anyMatch(r -> r.status == Row.Status.FAILED)) {
            anyKept = true;
            return;
        }
        deleteTree(d.dir());
    }

    /**
     * Stops any astra run still going (the benchmark was interrupted), then removes what the
     * benchmark made: the working directories it owns and the PostgreSQL database.
     */
    synchronized void cleanUp() {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        AstraRun.stopAll();
        if (!options.keep() && pgProblem.isEmpty()) {
            try {
                postgres.drop();
            } catch (SQLException e) {
                log("could not drop database %s: %s", postgres.database(), Postgres.oneLine(e));
            }
        }
        if (anyFailed() || options.keep()) {
            log("the cases' working directories and logs are in %s", work);
        } else if (ownWork) {
            deleteTree(work);
        }
    }

    void log(String format, Object... args) {
        err.println("[bench] " + String.format(Locale.ROOT, format, args));
        err.flush();
    }

    private List<String> mask(List<String> args) {
        return args.stream().map(DatabaseSettings::maskPassword).toList();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary file is not worth failing a benchmark for
        }
    }
}
