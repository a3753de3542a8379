package astra.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a finished run left in Astra's tables, read by the harness after the run: the span of its
 * task events, and its workers' start-up figures. Plain JDBC over fixed SQL with no values in it.
 */
final class RunDatabase {

    private RunDatabase() {}

    /** The embedded default of a run started in {@code cwd}. */
    static Connection sqlite(Path cwd) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + cwd.resolve(".astra/astra.db").toAbsolutePath());
    }

    /**
     * From the first claim (event {@code RUNNING}) to the last {@code DONE}: the stretch in which
     * workers did nothing but claim, run and record tasks.
     */
    record Execution(int done, Instant firstClaim, Instant lastDone) {
        Duration span() {
            return Duration.between(firstClaim, lastDone);
        }

        /** Tasks done per second of that stretch. */
        double rate() {
            return done / seconds();
        }

        /** What one task costs one worker: workers × the stretch / tasks done, in ms. */
        double perTaskMillis(int workers) {
            return workers * seconds() * 1000 / done;
        }

        private double seconds() {
            return Math.max(span().toNanos(), 1) / 1e9;
        }
    }

    static Optional<Execution> execution(Connection c) throws SQLException {
        Instant firstClaim = null;
        Instant lastDone = null;
        int done = 0;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select state, count(*), min(at), max(at) from astra_event where state in ('RUNNING', 'DONE') group by state")) {
            while (r.next()) {
                if ("RUNNING".equals(r.getString(1))) {
                    firstClaim = instant(r.getObject(3));
                } else {
                    done = r.getInt(2);
                    lastDone = instant(r.getObject(4));
                }
            }
        }
        return firstClaim == null || lastDone == null || done == 0 ? Optional.empty()
                : Optional.of(new Execution(done, firstClaim, lastDone));
    }

    /** A worker's row: when its JVM had read its spec, how long its initializers took, and (newer schemas) ready time. */
    record Worker(String workerId, long pid, Instant startedAt, long initMillis, Optional<Long> readyMillis) {}

    static List<Worker> workers(Connection c) throws SQLException {
        boolean hasReady = hasColumn(c, "astra_worker", "ready_millis");
        List<Worker> workers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select worker_id, pid, started_at, init_millis" + (hasReady ? ", ready_millis" : "") + " from astra_worker")) {
            while (r.next()) {
                Optional<Long> ready = Optional.empty();
                if (hasReady) {
                    long v = r.getLong(5);
                    ready = r.wasNull() ? Optional.empty() : Optional.of(v);
                }
                workers.add(new Worker(r.getString(1), r.getLong(2), instant(r.getObject(3)), r.getLong(4), ready));
            }
        }
        return workers;
    }

    /** The worker that claimed the task whose id starts with {@code prefix}, if any did. */
    static Optional<String> claimedBy(Connection c, String prefix) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select task_id, worker from astra_event where state = 'RUNNING' order by event_id")) {
            while (r.next()) {
                if (r.getString(1).startsWith(prefix)) {
                    return Optional.ofNullable(r.getString(2));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasColumn(Connection c, String table, String column) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select " + column + " from " + table + " where 1 = 0")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A time as either driver returns it: a timestamp (PostgreSQL) or ISO-8601 text (SQLite). */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        String text = value.toString().strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return Instant.parse(text.endsWith("Z") ? text : text + "Z");
        }
    }
}
