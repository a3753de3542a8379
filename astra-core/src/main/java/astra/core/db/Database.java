package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.TaskRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Astra's connection to its database: PostgreSQL, or the embedded SQLite file.
 *
 * <p>{@link #open} connects (a pool, or a new connection per transaction when pooling is off),
 * checks the connection, brings the schema up to date, and installs the {@linkplain #store()
 * task store} as this process's {@link TaskRuntime}. A worker process calls
 * {@link #initProcess()} once when it starts, so it never uses connections it did not open.
 *
 * <p>Thread-safe. Neither {@link #toString()} nor any message shows a password.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    static {
        // jOOQ prints a banner and a "tip of the day" on first use; Astra's output is its own.
        System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
        System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
    }

    private final DatabaseSettings settings;
    private final SQLDialect dialect;
    private final StoreDialect storeDialect;
    private final JooqTaskStore store;
    private final AtomicInteger connectCount = new AtomicInteger();
    private volatile Connections connections;
    private volatile DSLContext dsl;
    private volatile boolean closed;

    private Database(DatabaseSettings settings, Clock clock) {
        this.settings = settings;
        this.dialect = settings.dialect();
        this.storeDialect = StoreDialect.of(dialect);
        this.store = new JooqTaskStore(this::dsl, storeDialect, clock);
    }

    /** {@link #open(DatabaseSettings, Clock)} with the system clock in UTC. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Connects, checks the connection, migrates the schema and installs the task store for this
     * process.
     *
     * @param clock the time written into task, run and event rows
     * @throws AstraException.DatabaseUnavailable if the database cannot be reached or migrated
     */
    public static Database open(DatabaseSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        createSqliteDirectory(settings);
        Database database = new Database(settings, clock);
        try {
            database.connect();
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        TaskRuntime.install(database);
        log.debug("opened {}", settings);
        return database;
    }

    /**
     * The database this process opened (the latest {@link #open}, reconnected by
     * {@link #initProcess()}): what a task's own {@code complete()} uses to ask your tables,
     * where no {@code TaskContext} is at hand.
     *
     * @throws IllegalStateException if none is open
     */
    public static Database current() {
        return TaskRuntime.database();
    }

    /** jOOQ over this process's current connections. */
    public DSLContext dsl() {
        DSLContext current = dsl;
        if (current == null) {
            throw notConnected();
        }
        return current;
    }

    /** {@link SQLDialect#POSTGRES} or {@link SQLDialect#SQLITE}. */
    public SQLDialect dialect() {
        return dialect;
    }

    /** Astra's task store; stays valid across {@link #initProcess()}. */
    public TaskStore store() {
        return store;
    }

    /** The settings it was opened with. */
    public DatabaseSettings settings() {
        return settings;
    }

    /**
     * Drops whatever connections this process holds and connects anew; a worker process calls it
     * once, when it starts. The old pool is closed without being asked anything, since it may
     * have been inherited in a broken state; the task store is installed again.
     *
     * @throws AstraException.DatabaseUnavailable if the database cannot be reached now
     */
    public synchronized void initProcess() {
        if (closed) {
            throw new IllegalStateException("the database " + describe() + " is closed");
        }
        Connections old = connections;
        connections = null;
        dsl = null;
        discard(old);
        connect();
        TaskRuntime.install(this);
    }

    /**
     * What the server allows and how much of it is in use, for checking a run's connection
     * budget before it starts; empty on SQLite, which has no server.
     *
     * @throws AstraException.DatabaseUnavailable if the server cannot be asked
     */
    public Optional<ConnectionLimits> connectionLimits() {
        try {
            return storeDialect.connectionLimits(dsl());
        } catch (DataAccessException e) {
            throw new AstraException.DatabaseUnavailable(
                    "cannot read the connection limits of " + describe() + ": " + Failures.reason(e), e);
        }
    }

    /** How many times this object built its connections: 1 after {@link #open}, +1 per {@link #initProcess()}. */
    public int connectCount() {
        return connectCount.get();
    }

    /** The URL and user, never the password. */
    public String describe() {
        return settings.describe();
    }

    @Override
    public String toString() {
        return "Database[" + describe() + "]";
    }

    /** Closes the connections; the task store stops working. */
    @Override
    public synchronized void close() {
        closed = true;
        Connections old = connections;
        connections = null;
        dsl = null;
        discard(old);
        uninstallStore();
    }

    /** The data source transactions draw from: the pool, or the driver when pooling is off. */
    DataSource dataSource() {
        Connections current = connections;
        if (current == null) {
            throw notConnected();
        }
        return current.dataSource();
    }

    private IllegalStateException notConnected() {
        return new IllegalStateException(closed
                ? "the database " + describe() + " is closed"
                : "no connections to " + describe() + ": the last attempt to connect failed");
    }

    /** How many physical connections the current connections have opened (tests count them). */
    long connectionsOpened() {
        Connections current = connections;
        return current == null ? 0 : current.driver().opened();
    }

    private synchronized void connect() {
        DriverDataSource driver = Connections.driver(settings);
        try (Connection c = driver.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
        Connections fresh;
        try {
            fresh = Connections.open(settings, driver);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        connections = fresh;
        dsl = DSL.using(new DefaultConfiguration()
                .set(new DataSourceConnectionProvider(fresh.dataSource()))
                .set(dialect)
                .set(new Settings().withExecuteLogging(false)));
        connectCount.incrementAndGet();
    }

    private void migrate() {
        try {
            Migrations.migrate(settings, dataSource(), Connections.driver(settings));
        } catch (RuntimeException e) {
            throw new AstraException.DatabaseUnavailable(
                    "cannot bring the schema of " + describe() + " up to date: " + Failures.reason(e), e);
        }
    }

    private AstraException.DatabaseUnavailable unavailable(Exception e) {
        return new AstraException.DatabaseUnavailable(
                "cannot connect to " + describe() + ": " + Failures.reason(e), e);
    }

    private static void discard(Connections old) {
        if (old == null) {
            return;
        }
        try {
            old.close();
        } catch (RuntimeException e) {
            log.debug("ignored while closing the old connections: {}", Failures.reason(e));
        }
    }

    private void uninstallStore() {
        TaskRuntime.uninstall(this);
    }

    private static void createSqliteDirectory(DatabaseSettings settings) {
        if (!settings.isSqlite()) {
            return;
        }
        Connections.sqliteFile(settings.url()).map(f -> f.toAbsolutePath().getParent()).ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new AstraException.DatabaseUnavailable(
                        "cannot create the directory " + dir + " for " + settings.describe() + ": " + e, e);
            }
        });
    }
}
