package astra.bench;

import astra.core.db.DatabaseSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Astra's benchmarks: real {@code astra run} processes of the built checkout on the
 * synthetic graphs of {@code astra.bench.synthetic}, each case on a fresh database, every
 * figure printed as a markdown table and written to a file. {@code astra-bench/bench.sh --help}
 * lists the options; {@link Cases} says what each case measures.
 */
public final class Benchmarks {

    static final String LEGEND = """

            - **wall s**: from starting `astra run` (the `./astra` launcher) to its exit, JVM start included; median of the runs.
            - **tasks/s**: N / wall (throughput and connections rows). The note's *execution* rate and per-task cost come
              from `astra_event`: N / (last DONE − first RUNNING), and workers × that span / N.
            - **vs peer** (Astra's throughput rows on PostgreSQL): Astra's execution rate over each peer's in this
              table with the same N and as many threads (db-scheduler) or clients (pgbench); above 1 Astra is faster.
              *(wall …×)*: the same for N / wall, both starting a JVM.
            - **peers-db-scheduler**: db-scheduler 16.7.1 in a JVM of its own started by the harness (java defaults),
              timed like astra run: wall includes JVM start and scheduling the N one-time executions up front; its
              execution rate runs from the first execution's start to the last one's completion (in-process clock).
              HikariCP, `pollUsingLockAndFetch(0.5, 1.0)`, 10 ms polling; each execution inserts one row.
            - **peers-pgbench**: `pgbench -M prepared`, per task a claim transaction (`FOR UPDATE SKIP LOCKED` on a
              partial index of the pending tasks) and a done transaction (state and one event insert),
              synchronous_commit on; its execution rate is pgbench's tps without connection time. The ceiling.
            - **peers-luigi**: only with `LUIGI_SRC` set (python3 with PYTHONPATH=$LUIGI_SRC).
            - Commits: Astra's own state changes commit with `synchronous_commit` off (PostgresStoreDialect); the task's
              insert, db-scheduler and pgbench commit synchronously. Where fsync is slow (a busy disk) the peers lose
              more to it than Astra does.
            - **peak connections**: most client connections to the benchmark database in `pg_stat_activity`, polled every
              20 ms; **(budget)**: what astra run printed (`connection budget: ...`).
            - **sessions opened**: `pg_stat_database.sessions` of the benchmark database after the run minus before.
            - **peak RSS MB**: `VmHWM` of the astra run JVM (the scheduler), polled every 20 ms.
            - **sched-\\***: every task already done by a prep run (not timed) on the same fresh database; FanOut's
              leaves use the default completion (checked in bulk), CheckedRows' leaves query their own row each.
            - **child-startup**: a worker JVM's time from its process start to initializers done and registration
              (`astra_worker.ready_millis`); *serial* is one worker per run (`FanOut --n 1 --workers 1`, fresh
              database each), *together* starts them all at once.
            - Before the cases an untimed warm-up run writes the class-data archives (AppCDS) of the launcher and
              of the workers into a cache of the benchmark's own (`XDG_CACHE_HOME`); smoke mode uses the user's.
            """;

    private Benchmarks() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the benchmark command; returns its exit code (0 every case ran, 1 a case failed, 2 bad options). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (Options.BadOption e) {
            err.println("bench: " + e.getMessage());
            err.println("bench: see --help for the options");
            return 2;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return 0;
        }
        List<Runner.Unit> plan = Cases.plan(options);
        List<Row.Key> keys = plan.stream().flatMap(u -> u.keys().stream()).toList();
        for (String prefix : options.only()) {
            if (keys.stream().noneMatch(k -> k.id().startsWith(prefix))) {
                err.println("bench: --only '" + prefix + "' matches no case" + (options.smoke() ? " of --smoke" : "")
                        + "; the cases are: " + String.join(", ", keys.stream().map(Row.Key::id).distinct().toList()));
                return 2;
            }
        }
        if (options.list()) {
            keys.stream().filter(options::selects).forEach(k -> out.printf(Locale.ROOT,
                    "%-48s N=%-8d workers=%-3d %s%n", k.name(), k.n(), k.workers(), k.db().label));
            return 0;
        }
        Optional<Path> root = options.root() != null ? Optional.of(options.root()) : Build.findRoot();
        if (root.isEmpty()) {
            err.println("bench: cannot tell which Astra checkout to measure: pass --root DIR");
            return 2;
        }
        Build build = Build.at(root.get());
        Optional<String> missing = build.missing();
        if (missing.isPresent()) {
            err.println("bench: " + missing.get());
            return 2;
        }
        try {
            Runner runner = new Runner(options, build, err, header(options, build, args));
            if (runner.pgProblem.isPresent()) {
                runner.log("PostgreSQL rows %s: %s", options.requirePg() ? "fail" : "are skipped", runner.pgProblem.get());
            }
            if (!ProcStatus.available()) {
                runner.log("no /proc here: peak RSS and child start-up are not measured");
            }
            Thread hook = new Thread(runner::cleanUp, "bench-clean-up");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                runner.runAll(plan);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook cleans up
                }
                runner.cleanUp();
            }
            out.print(runner.table());
            out.flush();
            runner.log("table written to %s", options.out().toAbsolutePath());
            if (runner.anyFailed()) {
                runner.log("some cases FAILED: their rows say why");
                return 1;
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench: interrupted");
            return 130;
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            return 1;
        }
    }

    /** Where and how the table was made: machine, Java, commit, command. */
    private static String header(Options o, Build build, String[] args) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return String.format(Locale.ROOT, """
                # Astra benchmarks

                %s on %s: %d CPUs, %s memory, Java %s, commit %s. %s per case (wall = median).%s
                Command: `%sastra-bench/bench.sh%s`

                """, Instant.now().truncatedTo(ChronoUnit.SECONDS), host, Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.version"), commit(build.root()),
                o.runs() == 1 ? "1 run" : o.runs() + " runs", o.smoke() ? " **Smoke mode: tiny N, not a measurement.**" : "",
                System.getenv("ASTRA_JAVA_OPTS") == null || System.getenv("ASTRA_JAVA_OPTS").isBlank() ? ""
                        : "ASTRA_JAVA_OPTS='" + System.getenv("ASTRA_JAVA_OPTS") + "' ",
                args.length == 0 ? "" : " " + String.join(" ", List.of(args).stream()
                        .map(DatabaseSettings::maskPassword).toList()));
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String commit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && !text.isEmpty()) {
                return text;
            }
        } catch (IOException e) {
            // no git
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
