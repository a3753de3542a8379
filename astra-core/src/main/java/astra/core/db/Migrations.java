package astra.core.db;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import astra.core.AstraException;
import astra.core.internal.StateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** Brings Astra's tables up to date with Flyway, from {@code astra/db/migration/<dialect>/}. */
final class Migrations {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Migrations.class);

    static final String HISTORY_TABLE = "astra_schema_history";

    /**
     * The highest migration version on the classpath; a test keeps it in step with the files.
     * A database already there skips Flyway, which costs a few hundred milliseconds per process.
     */
    static final String LATEST_VERSION = "7";

    /** Serializes migrations of SQLite files within this JVM; the file lock does it across JVMs. */
    private static final Object SQLITE_LOCK = new Object();

    private Migrations() {}

    /**
     * Migrates unless {@code current} shows the latest version applied. Flyway gets
     * {@code fresh}, which must hand out new connections: it may hold two at once, more than a
     * small pool has.
     */
    static void migrate(DatabaseSettings settings, DataSource current, DataSource fresh) {
        if (isLatest(settings, current)) {
            return;
        }
        Optional<Path> file = settings.isSqlite() ? Connections.sqliteFile(settings.url()) : Optional.empty();
        if (file.isEmpty()) {
            // PostgreSQL: one process at a time per schema. Flyway locks its history table once it
            // exists, but two processes that find a fresh schema both create and baseline it, and
            // the second fails ("Unable to baseline schema history table ... it already exists,
            // and is empty"): as an astra run and an astra worker started together once did.
            withAdvisoryLock(fresh, "astra migrate " + settings.schema(), () -> {
                if (!isLatest(settings, current)) { // another process may have migrated meanwhile
                    OldLayout.moveIfThere(settings, fresh);
                    configure(settings, fresh).load().migrate();
                }
            });
            return;
        }
        Flyway flyway = configure(settings, fresh).load();
        synchronized (SQLITE_LOCK) {
            withFileLock(lockFile(file.get()), flyway::migrate);
        }
    }

    /** Astra's Flyway configuration for these settings (tests add a target version to build old schemas). */
    static FluentConfiguration configure(DatabaseSettings settings, DataSource fresh) {
        FluentConfiguration flyway = Flyway.configure(Migrations.class.getClassLoader())
                .loggers("slf4j")
                .dataSource(fresh)
                .locations("classpath:astra/db/migration/" + (settings.isSqlite() ? "sqlite" : "postgresql"))
                .table(HISTORY_TABLE)
                // A schema that holds other tables but no history of Astra's (a SQLite file of the
                // user's, or schema = public) gets Astra's tables beside them, from the first version.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (!settings.isSqlite()) {
            // Created when missing; the history lives there too, apart from any the user's own
            // Flyway keeps in theirs.
            flyway.schemas(settings.schema()).defaultSchema(settings.schema());
        }
        return flyway;
    }

    /** Astra's migration history: in its schema on PostgreSQL, in the file on SQLite. */
    static Table<Record> history(DatabaseSettings settings) {
        return settings.isSqlite() ? table(name(HISTORY_TABLE)) : table(name(settings.schema(), HISTORY_TABLE));
    }

    /** Whether the history records the latest version as applied; false if there is no history yet. */
    static boolean isLatest(DatabaseSettings settings, DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return appliedVersion(settings, DSL.using(c, settings.dialect())).filter(LATEST_VERSION::equals).isPresent();
        } catch (SQLException noConnection) {
            log.debug("no schema history read: {}", noConnection.toString());
            return false;
        }
    }

    /**
     * The latest version of Astra's tables applied to the database, if any.
     *
     * @throws AstraException.DatabaseUnavailable if it is newer than this build knows: another
     *     Astra, newer than this one, has migrated the database, and this one would misread it
     */
    static Optional<String> appliedVersion(DatabaseSettings settings, DSLContext db) {
        Optional<String> applied;
        try {
            applied = db.select(field(name("version"), String.class))
                    .from(history(settings))
                    .where(field(name("success"), Boolean.class).isTrue())
                    .and(field(name("version")).isNotNull())
                    .orderBy(field(name("installed_rank")).desc())
                    .limit(1)
                    .fetchOptional(0, String.class);
        } catch (DataAccessException noHistoryYet) {
            log.debug("no schema history read: {}", noHistoryYet.toString());
            return Optional.empty();
        }
        if (applied.isPresent() && isNewer(applied.get())) {
            throw new AstraException.DatabaseUnavailable("Astra's tables in " + settings.describe()
                    + (settings.isSqlite() ? "" : " (schema " + settings.schema() + ")") + " are at version " + applied.get()
                    + ", newer than this Astra knows (" + LATEST_VERSION + "): run a newer Astra, as whoever migrated it did",
                    null);
        }
        return applied;
    }

    private static boolean isNewer(String version) {
        try {
            return Integer.parseInt(version) > Integer.parseInt(LATEST_VERSION);
        } catch (NumberFormatException dotted) {
            return true; // Astra numbers its migrations 1, 2, 3...: anything else came from elsewhere.
        }
    }

    /**
     * Makes sure the SQLite {@code file} is a database Astra may open: creates it (private, see
     * {@link StateFiles}) with its first page written when it does not exist, and refuses one of
     * zero bytes, which Astra never leaves behind: a truncated or half-copied file would
     * otherwise be taken for a new database and every task's history lost without a word. Under
     * the migration lock, so a file that another process is creating at this moment is seen
     * either absent or whole.
     */
    static void prepareSqliteFile(Path file) {
        try {
            if (Files.size(file) > 0) {
                return; // the usual case, and no lock: a database on a read-only file system stays readable
            }
        } catch (IOException absent) {
            // Created below.
        }
        synchronized (SQLITE_LOCK) {
            withFileLock(lockFile(file), () -> {
                try {
                    if (Files.isRegularFile(file) && Files.size(file) == 0) {
                        throw new AstraException.DatabaseUnavailable("the database file " + file + " is empty (0 bytes):"
                                + " it was truncated or copied while being written, and Astra will not take it for a"
                                + " new one. Restore it from a backup, or delete it to start again with no history", null);
                    }
                    if (StateFiles.createFile(file)) {
                        // Switching to WAL writes the file's first page: from here on it is never empty.
                        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                                Statement s = c.createStatement()) {
                            s.execute("pragma journal_mode = wal");
                        }
                    }
                } catch (IOException | SQLException e) {
                    throw new AstraException.DatabaseUnavailable("cannot create the database file " + file + ": " + e, e);
                }
            });
        }
    }

    /** Runs {@code work} holding a PostgreSQL session advisory lock named by {@code key}, on a connection of its own. */
    private static void withAdvisoryLock(DataSource fresh, String key, Runnable work) {
        try (Connection c = fresh.getConnection()) {
            DSLContext db = DSL.using(c, SQLDialect.POSTGRES);
            long lock = key.hashCode();
            db.execute("select pg_advisory_lock(?)", lock);
            try {
                work.run();
            } finally {
                db.execute("select pg_advisory_unlock(?)", lock);
            }
        } catch (SQLException e) {
            throw new DataAccessException("cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    /** SQLite has no lock Flyway can use, and two processes creating the tables at once collide. */
    private static void withFileLock(Path lockFile, Runnable work) {
        try {
            StateFiles.createFile(lockFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + lockFile + ": " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            work.run();
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".migrate-lock");
    }

    /**
     * For a SQLite database: creates its directory and its file (private, see {@link StateFiles}),
     * before anything connects; nothing for PostgreSQL.
     */
    static void createSqliteFile(DatabaseSettings settings) {
        if (!settings.isSqlite()) {
            return;
        }
        // Private (StateFiles): the file holds every task's parameters and errors. SQLite gives
        // the -wal and -shm files it creates beside it the same permissions.
        Connections.sqliteFile(settings.url()).map(Path::toAbsolutePath).ifPresent(file -> {
            Path dir = file.getParent();
            try {
                StateFiles.createDirectories(dir);
            } catch (IOException e) {
                throw new AstraException.DatabaseUnavailable(
                        "cannot create the directory " + dir + " for " + settings.describe() + ": " + e, e);
            }
            prepareSqliteFile(file);
        });
    }
}
