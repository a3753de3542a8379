package astra.bench;

import astra.core.db.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The benchmark command's options, parsed and checked; {@link BadOption} for anything wrong. */
record Options(
        boolean smoke,
        int runs,
        List<String> only,
        int maxN,
        Optional<Row.Db> database,
        String pgUrl,
        String pgDatabase,
        boolean noPg,
        boolean requirePg,
        Path out,
        Path root,
        Path work,
        Duration timeout,
        List<String> childJvmOptions,
        Optional<Path> luigiSrc,
        boolean keep,
        boolean list,
        boolean help) {

    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String PG_URL_ENV = "ASTRA_BENCH_PG_URL";
    static final String DEFAULT_PG_DATABASE = "astra_bench";

    /**
     * The {@code [worker] jvm_options} sets the child start-up rows are measured with, one row each:
     * Astra's defaults (C1 only, and the workers' class-data archive), C2 back, and no archive. Edit
     * this list, or pass {@code --child-jvm-options}, to try others.
     */
    static final List<String> CHILD_JVM_OPTION_SETS = List.of("", "-XX:TieredStopAtLevel=4", "-Xshare:off");

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    static final String USAGE = """
            Usage: astra-bench/bench.sh [options]
            Runs real `astra run` processes on synthetic graphs and prints a markdown table
            (one row per case; wall time is the median of the runs).

              --smoke                 tiny N and 1 run per case: proves the benchmarks still run (about a minute)
              --runs K                runs per case, the median is reported (default 3; 1 with --smoke)
              --only PREFIX[,PREFIX]  only the cases whose name starts with one of these (see --list)
              --max-n N               leave out the cases with more tasks than N (e.g. 10000: no 100,000 rows)
              --database sqlite|pg    only the cases on this database
              --list                  print the cases and exit
              --pg URL                the PostgreSQL server (default $ASTRA_BENCH_PG_URL, else
                                      jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres); the
                                      benchmarks connect there to drop and create their own database
              --pg-database NAME      that database, dropped and created for each case (default astra_bench)
              --no-pg                 SQLite only: the PostgreSQL rows are listed as skipped
              --require-pg            an unreachable PostgreSQL fails the benchmark instead of skipping its rows
              --out FILE              where the table is written (default bench-results.md)
              --root DIR              the built Astra checkout to measure (default: the one this harness is in)
              --work DIR              where the cases' working directories go (default: a new temporary directory)
              --timeout SECONDS       longest one astra run may take before it is killed and its case
                                      fails (default 3600; 180 with --smoke)
              --child-jvm-options S   a [worker] jvm_options set for the child start-up rows; repeat for
                                      several (default: "" (Astra's defaults), "-XX:TieredStopAtLevel=4"
                                      (C2 too) and "-Xshare:off" (no class-data archive))
              --keep                  keep the cases' working directories and the PostgreSQL database
              -h, --help              this help

            Peers: --only peers runs the Astra throughput rows on PostgreSQL with 1 and 8 workers beside
            db-scheduler (its own JVM, threads 1 and 8) and pgbench (a claim + done transaction per task,
            clients 1 and 8) on the same N, each Astra row printing its ratio to them ("vs peer"); and
            Luigi (1,000 trivial tasks, local scheduler) if $LUIGI_SRC names a Luigi source checkout.

            Exit codes: 0 every case ran; 1 a case failed (its row says why); 2 bad options or no build.
            """;

    /** A problem with the command line: printed with a hint, exit code 2. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    /** Whether the options select this case. */
    boolean selects(Row.Key key) {
        return key.selectedBy(only) && key.n() <= maxN && database.map(db -> db == key.db()).orElse(true);
    }

    static Options parse(String[] args, Map<String, String> env) throws BadOption {
        boolean smoke = false;
        Integer runs = null;
        List<String> only = List.of();
        int maxN = Integer.MAX_VALUE;
        Optional<Row.Db> database = Optional.empty();
        String pgUrl = null;
        String pgDatabase = DEFAULT_PG_DATABASE;
        boolean noPg = false;
        boolean requirePg = false;
        Path out = Path.of("bench-results.md");
        Path root = null;
        Path work = null;
        Integer timeoutSeconds = null;
        List<String> childJvm = new ArrayList<>();
        boolean keep = false;
        boolean list = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "--smoke" -> smoke = flag(name, inline);
                case "--no-pg" -> noPg = flag(name, inline);
                case "--require-pg" -> requirePg = flag(name, inline);
                case "--keep" -> keep = flag(name, inline);
                case "--list" -> list = flag(name, inline);
                case "-h", "--help" -> help = true;
                default -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || !isValue(args[i + 1])) {
                            throw new BadOption(knownOption(name) ? name + " needs a value" : unknown(name));
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--runs" -> runs = positive(name, value);
                        case "--only" -> only = prefixes(value);
                        case "--max-n" -> maxN = positive(name, value);
                        case "--database" -> database = Optional.of(database(value));
                        case "--pg" -> pgUrl = value.strip();
                        case "--pg-database" -> pgDatabase = value.strip();
                        case "--out" -> out = Path.of(value);
                        case "--root" -> root = Path.of(value);
                        case "--work" -> work = Path.of(value);
                        case "--timeout" -> timeoutSeconds = positive(name, value);
                        case "--child-jvm-options" -> childJvm.add(value.strip());
                        default -> throw new BadOption(unknown(name));
                    }
                }
            }
        }
        if (pgUrl == null) {
            String fromEnv = env.get(PG_URL_ENV);
            pgUrl = fromEnv == null || fromEnv.isBlank() ? DEFAULT_PG_URL : fromEnv.strip();
        }
        if (!pgUrl.startsWith("jdbc:postgresql://")) {
            throw new BadOption("--pg must be a jdbc:postgresql:// URL, got '" + DatabaseSettings.maskPassword(pgUrl) + "'");
        }
        if (!DATABASE_NAME.matcher(pgDatabase).matches()) {
            throw new BadOption("--pg-database must be a lower-case name of letters, digits and _ (at most 63), got '"
                    + pgDatabase + "'");
        }
        if (noPg && requirePg) {
            throw new BadOption("--no-pg and --require-pg contradict each other: use one");
        }
        String luigi = env.get(Peers.LUIGI_SRC_ENV);
        Optional<Path> luigiSrc = luigi == null || luigi.isBlank() ? Optional.empty() : Optional.of(Path.of(luigi.strip()));
        return new Options(smoke, runs != null ? runs : smoke ? 1 : 3, only, maxN, database, pgUrl, pgDatabase, noPg, requirePg, out,
                root, work, Duration.ofSeconds(timeoutSeconds != null ? timeoutSeconds : smoke ? 180 : 3600),
                childJvm.isEmpty() ? CHILD_JVM_OPTION_SETS : List.copyOf(childJvm), luigiSrc, keep, list, help);
    }

    private static boolean flag(String name, String inline) throws BadOption {
        if (inline != null) {
            throw new BadOption(name + " takes no value");
        }
        return true;
    }

    /** Whether {@code next} can be an option's value: anything but another option. */
    private static boolean isValue(String next) {
        return !next.startsWith("--") && !next.equals("-h");
    }

    private static boolean knownOption(String name) {
        return List.of("--runs", "--only", "--max-n", "--database", "--pg", "--pg-database", "--out", "--root", "--work", "--timeout",
                "--child-jvm-options").contains(name);
    }

    private static String unknown(String name) {
        return "unknown option '" + name + "'";
    }

    private static int positive(String name, String value) throws BadOption {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1) {
                throw new BadOption(name + " must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadOption(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static Row.Db database(String value) throws BadOption {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "sqlite" -> Row.Db.SQLITE;
            case "pg", "postgres", "postgresql" -> Row.Db.POSTGRES;
            default -> throw new BadOption("--database must be sqlite or pg, got '" + value + "'");
        };
    }

    private static List<String> prefixes(String value) throws BadOption {
        List<String> prefixes = new ArrayList<>();
        for (String p : value.split(",")) {
            if (!p.isBlank()) {
                prefixes.add(p.strip());
            }
        }
        if (prefixes.isEmpty()) {
            throw new BadOption("--only needs at least one case name prefix, e.g. --only sched-bulk,throughput");
        }
        return List.copyOf(prefixes);
    }
}
