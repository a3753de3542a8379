package astra.bench;

import java.io.File;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ceiling of a PostgreSQL task queue on this server: {@code pgbench -M prepared} running, per
 * task, the two transactions a queue's worker cannot do without: a claim ({@code FOR UPDATE SKIP
 * LOCKED} on a partial index of the pending tasks) and a done (the state change plus one event
 * row). No scheduler, no JVM, no task code: what is left when all of that costs nothing.
 */
final class Pgbench {

    static final String TASKS = "peer_task";
    static final String EVENTS = "peer_event";

    /** One task: the claim, then the done. The claim returns the id, which the done uses. */
    static final String SCRIPT = """
            BEGIN;
            UPDATE peer_task SET state = 'RUNNING', claimed_at = now()
              WHERE id = (SELECT id FROM peer_task WHERE state = 'PENDING' ORDER BY priority DESC, id
                          LIMIT 1 FOR UPDATE SKIP LOCKED)
              RETURNING id \\gset
            COMMIT;
            BEGIN;
            UPDATE peer_task SET state = 'DONE', done_at = now() WHERE id = :id;
            INSERT INTO peer_event (task_id, kind) VALUES (:id, 'DONE');
            COMMIT;
            """;

    private static final Pattern TPS = Pattern.compile("^tps = ([0-9.]+) \\((without initial connection time|excluding connections establishing)\\)",
            Pattern.MULTILINE);
    private static final Pattern TPS_ANY = Pattern.compile("^tps = ([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern PROCESSED = Pattern.compile("^number of transactions actually processed: (\\d+)(?:/(\\d+))?",
            Pattern.MULTILINE);
    private static final Pattern FAILED = Pattern.compile("^number of failed transactions: (\\d+)", Pattern.MULTILINE);
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?:]*)(?::(\\d+))?(?:/([^?]*))?(?:\\?(.*))?");

    private Pgbench() {}

    /** What pgbench printed that the row needs: script runs per second (connections excluded), runs done, runs failed. */
    record Output(double tps, long processed, long failed) {}

    static Optional<Output> parse(String stdout) {
        Matcher tps = TPS.matcher(stdout);
        OptionalDouble rate = tps.find() ? OptionalDouble.of(Double.parseDouble(tps.group(1))) : OptionalDouble.empty();
        if (rate.isEmpty()) {
            Matcher any = TPS_ANY.matcher(stdout);
            rate = any.find() ? OptionalDouble.of(Double.parseDouble(any.group(1))) : OptionalDouble.empty();
        }
        Matcher processed = PROCESSED.matcher(stdout);
        if (rate.isEmpty() || !processed.find()) {
            return Optional.empty();
        }
        Matcher failed = FAILED.matcher(stdout);
        return Optional.of(new Output(rate.getAsDouble(), Long.parseLong(processed.group(1)),
                failed.find() ? Long.parseLong(failed.group(1)) : 0));
    }

    /** Where pgbench is: on the PATH, else in a Debian PostgreSQL's bin directory. */
    static Optional<Path> find(String pathVariable) {
        List<Path> candidates = new ArrayList<>();
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "pgbench"));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted((a, b) -> b.compareTo(a)).forEach(v -> candidates.add(v.resolve("bin/pgbench")));
            } catch (java.io.IOException e) {
                // no versions to look at
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * libpq's environment for the database of a {@code jdbc:postgresql://} URL: host, port, database,
     * user, password (never on the command line), the URL's {@code currentSchema} as the search path,
     * and {@code synchronous_commit} on, whatever the server's default.
     */
    static Map<String, String> environment(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL with one host");
        }
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", m.group(1).isEmpty() ? "localhost" : m.group(1));
        env.put("PGPORT", m.group(2) == null ? "5432" : m.group(2));
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            env.put("PGDATABASE", decode(m.group(3)));
        }
        StringBuilder options = new StringBuilder("-c synchronous_commit=on");
        if (m.group(4) != null) {
            for (String pair : m.group(4).split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = pair.substring(0, eq);
                String value = decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> env.put("PGUSER", value);
                    case "password" -> env.put("PGPASSWORD", value);
                    case "currentSchema" -> options.append(" -c search_path=").append(value);
                    default -> { }
                }
            }
        }
        env.put("PGOPTIONS", options.toString());
        env.put("PGAPPNAME", "pgbench-peer");
        return env;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Per-client transactions for {@code n} tasks over {@code clients}: every client runs the same number. */
    static int perClient(int n, int clients) {
        return (n + clients - 1) / clients;
    }

    /**
     * The queue's tables with {@code runs + clients} pending tasks: the claim of the last run still
     * finds a pending row no other client holds (at most {@code clients - 1} are locked at once).
     */
    static void createTables(Connection c, int runs, int clients) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table " + TASKS + " (id bigint primary key, state text not null, priority int not null default 0,"
                    + " claimed_at timestamptz, done_at timestamptz)");
            s.execute("create index " + TASKS + "_pending on " + TASKS + " (priority desc, id) where state = 'PENDING'");
            s.execute("create table " + EVENTS + " (id bigserial primary key, task_id bigint not null, kind text not null,"
                    + " at timestamptz not null default now())");
            s.execute("insert into " + TASKS + " (id, state) select g, 'PENDING' from generate_series(1, "
                    + ((long) runs + clients) + ") g");
            s.execute("analyze " + TASKS);
        }
    }

    /** Tasks done and events written: each must equal the runs. */
    static long[] doneAndEvents(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select (select count(*) from " + TASKS + " where state = 'DONE'),"
                + " (select count(*) from " + EVENTS + ")"); ResultSet r = s.executeQuery()) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    static List<String> command(Path pgbench, Path script, int clients, int perClient) {
        return List.of(pgbench.toString(), "--no-vacuum", "-M", "prepared", "-c", Integer.toString(clients), "-j",
                Integer.toString(clients), "-t", Integer.toString(perClient), "-f", script.toString());
    }
}
