package astra.core.db;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

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
        if (isLatest(current)) {
            return;
        }
        Flyway flyway = configure(settings, fresh).load();
        Optional<Path> file = settings.isSqlite() ? Connections.sqliteFile(settings.url()) : Optional.empty();
        if (file.isEmpty()) {
            // PostgreSQL: Flyway takes an advisory lock itself.
            flyway.migrate();
            return;
        }
        synchronized (SQLITE_LOCK) {
            withFileLock(lockFile(file.get()), flyway::migrate);
        }
    }

    /** Astra's Flyway configuration for these settings (tests add a target version to build old schemas). */
    static FluentConfiguration configure(DatabaseSettings settings, DataSource fresh) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .loggers("slf4j")
                .dataSource(fresh)
                .locations("classpath:astra/db/migration/" + (settings.isSqlite() ? "sqlite" : "postgresql"))
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false);
    }

    /** Whether the history records the latest version as applied; false if there is no history yet. */
    static boolean isLatest(DataSource dataSource) {
        String sql = "select count(*) from " + HISTORY_TABLE + " where version = ? and success";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, LATEST_VERSION);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getInt(1) > 0;
            }
        } catch (SQLException noHistoryYet) {
            log.debug("no schema history read: {}", noHistoryYet.toString());
            return false;
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
}
