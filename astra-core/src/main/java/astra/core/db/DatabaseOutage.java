package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.Failures;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * How one process waits out an outage of its database: a lost connection, a server shut down,
 * restarting or out of room. Such a failure is not the caller's fault, so {@link #call} tries
 * again, backing off, until the database answers or the outage has lasted
 * {@code [database] outage_timeout}; only then does it give up, with
 * {@link AstraException.DatabaseUnavailable}. Every thread of the process shares the outage: it
 * is announced once, when it begins, and once when the database is back.
 *
 * <p>A conflict between transactions (a deadlock, a serialization failure, SQLite busy) is not
 * an outage: {@link #isConflict} tells it, and the store runs such a transaction again at once.
 * A SQLite file's own faults (a full disk, a read-only or corrupt file) are not waited out either:
 * they are thrown at once as {@link AstraException.DatabaseUnavailable}, with a sentence naming
 * the file and what to do.
 */
public final class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

    /** The outage timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final long MIN_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 2_000;

    private final Duration timeout;
    /** The SQLite file whose faults are named; null for PostgreSQL. */
    private final Path sqliteFile;
    /** When the outage under way began ({@link System#nanoTime()}); 0 when the database answers. */
    private final AtomicLong since = new AtomicLong();
    /** When the last outage ended ({@link System#nanoTime()}); 0 if none has. */
    private final AtomicLong endedAt = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean quiet;

    public DatabaseOutage(Duration timeout) {
        this(timeout, null);
    }

    /** For a SQLite file, whose faults are named in the messages ({@code file} null for PostgreSQL). */
    DatabaseOutage(Duration timeout, Path sqliteFile) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("an outage timeout cannot be negative, got " + timeout);
        }
        this.timeout = timeout;
        this.sqliteFile = sqliteFile;
    }

    /** How long an outage is waited out. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Announces outages at DEBUG only, for a worker process whose parent announces them to the
     * user: one line per outage for the whole run, not one per process. Returns this.
     */
    public DatabaseOutage quietly() {
        quiet = true;
        return this;
    }

    /**
     * The failure means the database (or the way to it) is away, not that the statement is
     * wrong: SQLState class 08 (connection exception), 53 (insufficient resources: disk full,
     * out of memory, too many connections), 57P01–57P03 (shut down, crashed, starting up), a
     * pool that found no connection in time, or a JDBC exception that says the connection is
     * lost.
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.equals("57P01")
                        || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The transaction lost to another and may simply run again: a deadlock (40P01), a
     * serialization failure (40001), or SQLite busy or locked past its busy timeout.
     */
    public static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                SQLiteErrorCode code = sqlite.getResultCode();
                int primary = code == null ? -1 : code.code & 0xff;
                if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
                    return true;
                }
            } else if (t instanceof SQLException sql
                    && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** How many calls of this process have failed on an outage so far. */
    public long failures() {
        return failures.get();
    }

    /**
     * Whether the database has answered this process without an outage for at least
     * {@code period}, or for as long as the process has known it (no outage yet). A process that
     * judges others by their heartbeats waits this long after an outage: their heartbeats could
     * not be written while it lasted.
     */
    public boolean steadyFor(Duration period) {
        if (since.get() != 0) {
            return false;
        }
        long ended = endedAt.get();
        return ended == 0 || System.nanoTime() - ended >= period.toNanos();
    }

    /**
     * Calls {@code call}, trying again while it fails on an outage, until the outage has lasted
     * the timeout. What else it throws is thrown at once.
     *
     * @param what what the call does, for messages ("recording a task done")
     * @throws AstraException.DatabaseUnavailable when the outage outlasts the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    public <T> T call(String what, Supplier<T> call) throws InterruptedException {
        long pause = MIN_PAUSE_MILLIS;
        while (true) {
            T result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                if (!isOutage(e)) {
                    throw named(e);
                }
                failures.incrementAndGet();
                long began = begin(e, what);
                if (System.nanoTime() - began >= timeout.toNanos()) {
                    throw new AstraException.DatabaseUnavailable("the database was unreachable for "
                            + describe(timeout) + " ([database] outage_timeout) while " + what + ": "
                            + Failures.reason(e), e);
                }
                Thread.sleep(pause);
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
                continue;
            }
            end();
            return result;
        }
    }

    /**
     * Calls {@code call} once: an outage is noted (and announced, if it is new) and its failure
     * thrown at once, for a call that must not run after an outage it waited through (one that
     * judges others by heartbeats they could not write meanwhile).
     */
    public <T> T callOnce(String what, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                failures.incrementAndGet();
                begin(e, what);
            }
            throw named(e);
        }
        end();
        return result;
    }

    /** {@link #call}, for callers that cannot be interrupted: an interrupt gives up, keeping the flag set. */
    public <T> T callUninterruptibly(String what, Supplier<T> call) {
        try {
            return call(what, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AstraException.DatabaseUnavailable("interrupted while waiting for the database (" + what + ")", e);
        }
    }

    /** A fault of the SQLite file as the sentence that names it, else {@code e} as it is. */
    private RuntimeException named(RuntimeException e) {
        if (sqliteFile == null || e instanceof AstraException) {
            return e;
        }
        return SqliteFaults.describe(e, sqliteFile)
                .<RuntimeException>map(sentence -> new AstraException.DatabaseUnavailable(sentence, e))
                .orElse(e);
    }

    /** Marks the outage begun, if it is new, and returns when it began. */
    private long begin(Throwable e, String what) {
        long now = System.nanoTime();
        if (since.compareAndSet(0, now)) {
            String line = "the database is unreachable (" + Failures.reason(e) + ") while " + what
                    + "; waiting up to " + describe(timeout) + " for it to come back";
            if (quiet) {
                log.debug(line);
            } else {
                log.warn(line);
            }
            return now;
        }
        long began = since.get();
        return began == 0 ? now : began;
    }

    private void end() {
        long began = since.get();
        if (began != 0 && since.compareAndSet(began, 0)) {
            long now = System.nanoTime();
            endedAt.set(now);
            String line = "the database is back after " + describe(Duration.ofNanos(now - began));
            if (quiet) {
                log.debug(line);
            } else {
                log.info(line);
            }
        }
    }

    /** "90 s", "10 min". */
    static String describe(Duration d) {
        long seconds = d.toSeconds();
        if (seconds >= 120 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds > 0 ? seconds + " s" : d.toMillis() + " ms";
    }
}
