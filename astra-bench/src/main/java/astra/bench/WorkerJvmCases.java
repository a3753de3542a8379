package astra.bench;

import astra.bench.Row.Db;
import astra.bench.Row.Key;
import astra.bench.Runner.CaseDir;
import astra.bench.Runner.Measured;
import astra.bench.Runner.Unit;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark cases that measure a worker JVM itself rather than a graph: how long children
 * take to be ready, started one per run or all at once, and the memory of an idle one. The
 * plan of every case, and the shared summary of runs, are in {@link Cases}.
 */
final class WorkerJvmCases {

    private WorkerJvmCases() {}

    // ---- 4. child start-up ----

    static Unit childStartupSerial(String jvmOptions, int children) {
        Key key = new Key("child-startup-serial", jvmLabel(jvmOptions), children, 1, Db.SQLITE);
        return new Unit(List.of(key), (r, selected) -> {
            CaseDir d = r.caseDir("child-startup-serial");
            Path cfg = r.config(d, "utah.cfg", false, jvmOptions);
            Startups startups = new Startups();
            for (int i = 1; i <= children; i++) {
                // A run with nothing to do starts no worker: each run has one task, on a fresh database.
                startups.measure(r, d, "run-" + i,
                        List.of("FanOut", "--n", "1", "--workers", "1", "--config", cfg.toString()));
            }
            Row row = Cases.summarize(key, startups.runs);
            readyNote(row, startups, jvmOptions);
            return Cases.done(r, d, List.of(row));
        });
    }

    static Unit childStartupTogether(String jvmOptions, int workers, int tasks) {
        Key key = new Key("child-startup-together", jvmLabel(jvmOptions), workers, workers, Db.SQLITE);
        return new Unit(List.of(key), (r, selected) -> {
            CaseDir d = r.caseDir("child-startup-together");
            Path cfg = r.config(d, "utah.cfg", false, jvmOptions);
            Startups startups = new Startups();
            for (int k = 1; k <= r.options.runs(); k++) {
                startups.measure(r, d, "run-" + k, List.of("FanOut", "--n", Integer.toString(tasks),
                        "--workers", Integer.toString(workers), "--config", cfg.toString()));
            }
            Row row = Cases.summarize(key, startups.runs);
            row.note("FanOut --n " + tasks);
            readyNote(row, startups, jvmOptions);
            return Cases.done(r, d, List.of(row));
        });
    }

    /** A worker's time from its JVM's start to ready, and where the figure comes from. */
    record Ready(long millis, boolean fromColumn) {}

    /** A start-up case's measured runs, the workers they started, and those workers' ready times. */
    private static final class Startups {
        final List<Measured> runs = new ArrayList<>();
        final List<Ready> ready = new ArrayList<>();
        int workers;

        /** One run of {@code args} on a fresh SQLite database. */
        void measure(Runner r, CaseDir d, String label, List<String> args) throws Exception {
            r.freshDatabase(d, Db.SQLITE);
            Measured m = r.measure(d, label, Db.SQLITE, args, true);
            runs.add(m);
            try (Connection c = RunDatabase.sqlite(d.cwd())) {
                List<RunDatabase.Worker> rows = RunDatabase.workers(c);
                workers += rows.size();
                ready.addAll(ready(rows, m));
            }
        }
    }

    /**
     * From {@code astra_worker.ready_millis} where the schema has it; otherwise estimated as the
     * worker's {@code started_at + init_millis} minus its process's start time as /proc gave it
     * while the run lasted (10 ms resolution).
     */
    static List<Ready> ready(List<RunDatabase.Worker> workers, Measured m) {
        List<Ready> ready = new ArrayList<>();
        for (RunDatabase.Worker w : workers) {
            if (w.readyMillis().isPresent()) {
                ready.add(new Ready(w.readyMillis().get(), true));
                continue;
            }
            AstraRun.Child child = m.run().children().get(w.pid());
            if (child != null && child.start().isPresent() && w.startedAt() != null) {
                long ms = Duration.between(child.start().get(), w.startedAt().plusMillis(w.initMillis())).toMillis();
                ready.add(new Ready(ms, false));
            }
        }
        return ready;
    }

    private static void readyNote(Row row, Startups startups, String jvmOptions) {
        List<Ready> ready = startups.ready;
        int workers = startups.workers;
        if (ready.isEmpty()) {
            row.note("no worker's ready time found (" + workers + " worker rows)");
        } else {
            List<Long> ms = ready.stream().map(Ready::millis).toList();
            boolean column = ready.stream().allMatch(Ready::fromColumn);
            row.note(String.format(Locale.ROOT, "child ready median %s, max %s over %d of %d children (%s)",
                    Stats.ms(Stats.median(ms)), Stats.ms(Stats.max(ms)), ready.size(), workers,
                    column ? "ready_millis" : "≈ started_at + init_millis − process start"));
        }
        row.note("[worker] jvm_options: " + (jvmOptions.isBlank() ? "(none)" : jvmOptions));
    }

    // ---- 5. memory of an idle child ----

    static Unit idleChild(int sleepMillis) {
        String id = "idle-child-sleep" + (sleepMillis % 1000 == 0 ? sleepMillis / 1000 + "s" : sleepMillis + "ms");
        Key key = new Key(id, null, 1, 2, Db.SQLITE);
        return new Unit(List.of(key), (r, selected) -> {
            CaseDir d = r.caseDir(id);
            Path cfg = r.config(d, "utah.cfg", false, "");
            List<Measured> runs = new ArrayList<>();
            List<Long> idleKb = new ArrayList<>();
            List<Long> busyKb = new ArrayList<>();
            for (int k = 1; k <= r.options.runs(); k++) {
                r.freshDatabase(d, Db.SQLITE);
                Measured m = r.measure(d, "run-" + k, Db.SQLITE, List.of("Sleepers", "--n", "1", "--millis",
                        Integer.toString(sleepMillis), "--workers", "2", "--config", cfg.toString()), true);
                runs.add(m);
                try (Connection c = RunDatabase.sqlite(d.cwd())) {
                    Optional<String> busy = RunDatabase.claimedBy(c, "Sleeper_");
                    for (RunDatabase.Worker w : RunDatabase.workers(c)) {
                        AstraRun.Child child = m.run().children().get(w.pid());
                        if (child != null) {
                            (busy.isPresent() && busy.get().equals(w.workerId()) ? busyKb : idleKb).add(child.maxRssKb());
                        }
                    }
                }
            }
            Row row = Cases.summarize(key, runs);
            row.note(idleKb.isEmpty() ? "no idle child seen"
                    : String.format(Locale.ROOT, "idle child VmRSS %.0f MB, busy child %s (while one task sleeps %.1f s)",
                            Stats.median(idleKb) / 1024, busyKb.isEmpty() ? "–"
                                    : String.format(Locale.ROOT, "%.0f MB", Stats.median(busyKb) / 1024),
                            sleepMillis / 1000.0));
            return Cases.done(r, d, List.of(row));
        });
    }

    static String jvmLabel(String jvmOptions) {
        return jvmOptions.isBlank() ? "Astra's JVM defaults" : jvmOptions.strip();
    }
}
