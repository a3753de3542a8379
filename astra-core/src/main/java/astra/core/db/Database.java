package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.Failures;
import astra.core.internal.TaskRuntime;
import astra.core.store.AstraTables;
import astra.core.store.TaskStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
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

    private final SQLDialect dialect;
    private final TaskStore store;
    private final DatabaseOutage outage;
    private final Reflection reflection = new Reflection(this::dsl);
    private final Pgpass pgpass = Pgpass.system();
    private final AtomicInteger connectCount = new AtomicInteger();
    // What the user chose and what this process changed since (profile, user, data version), and
    // the hook. The settings in use follow from them.
    private final DatabaseSession session;
    private volatile PostConnect postConnect;
    private volatile DatabaseSettings settings;
    private volatile Connections connections;
    private volatile DSLContext dsl;
    private volatile boolean closed;

    /**
     * Runs on every new physical connection, before anyone uses it: what Python Astra's
     * {@code post_connect()} hook was for (a {@code SET ROLE}, a {@code statement_timeout}). A
     * connection whose hook throws is closed and the failure reported as the connection's.
     */
    @FunctionalInterface
    public interface PostConnect {
        void accept(Connection connection) throws SQLException;
    }

    private Database(DatabaseChoice choice, Clock clock) {
        this.session = new DatabaseSession(this, choice);
        this.settings = choice.settings();
        this.dialect = settings.dialect();
        this.outage = new DatabaseOutage(settings.outageTimeout(),
                settings.isSqlite() ? Connections.sqliteFile(settings.url()).map(Path::toAbsolutePath).orElse(null) : null);
        this.store = TaskStore.on(this::dsl, dialect, clock, outage);
    }

    /** {@link #open(DatabaseSettings, Clock)} with the system clock in UTC. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** Opens the database {@code choice} names, knowing its profiles; with the system clock in UTC. */
    public static Database open(DatabaseChoice choice) {
        return open(choice, Clock.systemUTC());
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
        return open(DatabaseChoice.of(settings), clock);
    }

    /**
     * {@link #open(DatabaseSettings, Clock)} for the settings {@code choice} names; the database
     * then knows its profile and the others, for {@link #setProfile} and {@link #becomeAdmin()}.
     */
    public static Database open(DatabaseChoice choice, Clock clock) {
        Database database = connect(choice, clock);
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        TaskRuntime.install(database);
        log.debug("opened {}", database.settings);
        return database;
    }

    /**
     * Connects and checks the connection, without touching the schema or installing the task
     * store: for looking at a database ({@code astra db check}); {@link #migrate()} brings the
     * schema up to date.
     *
     * @throws AstraException.DatabaseUnavailable if the database cannot be reached
     */
    public static Database connect(DatabaseChoice choice, Clock clock) {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(clock, "clock");
        Migrations.createSqliteFile(choice.settings());
        Database database = new Database(choice, clock);
        try {
            database.connect();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** The schema version of Astra's tables that this build brings a database to. */
    public static String latestSchemaVersion() {
        return Migrations.LATEST_VERSION;
    }

    /**
     * The latest schema version applied to this database; empty when Astra's tables are not there yet.
     *
     * @throws AstraException.DatabaseUnavailable if a newer Astra migrated it
     */
    public Optional<String> schemaVersion() {
        return Migrations.appliedVersion(settings, dsl());
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

    /**
     * jOOQ over this process's current connections. It renders {@link AstraTables} in Astra's
     * schema ({@code [database] schema}): SQL of your own that names a schema called
     * {@code astra} goes there too.
     */
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

    /** The live database's tables, read from its metadata once per process: {@link Reflection}. */
    public Reflection reflection() {
        return reflection;
    }

    /** How this process waits out an outage of the database; the store's calls all do. */
    public DatabaseOutage outage() {
        return outage;
    }

    /** Astra's task store; stays valid across {@link #initProcess()}. */
    public TaskStore store() {
        return store;
    }

    /** The settings in use: those it was opened with, changed by {@link #become}, {@link #changeVersion}, {@link #setProfile}. */
    public DatabaseSettings settings() {
        return settings;
    }

    /** The profile in use, if the database was opened from one or switched to one. */
    public Optional<DatabaseProfile> profile() {
        return session.profile();
    }

    /** Every profile of the config it was opened with, in file order (Python Astra's {@code list_profiles}). */
    public List<DatabaseProfile> listProfiles() {
        return session.listProfiles();
    }

    /**
     * Switches to the profile called {@code name} (null: the profile whose domain matches this
     * host, as {@code hostname -f} names it): connects with its settings and user (forgetting
     * {@link #become} and {@link #changeVersion}) and brings its schema up to date. If it cannot
     * connect, the current connections stay.
     *
     * @throws AstraException.BadInput if there is no such profile (or none for this host), or it is another kind of
     *     database (SQLite and PostgreSQL keep different tables)
     * @throws AstraException.DatabaseUnavailable if it cannot be reached or migrated
     */
    public synchronized void setProfile(String name) {
        session.setProfile(name);
    }

    /**
     * Connects to another database, host, port or user of the same server kind (each kept when
     * null; the password from the password file), and brings its schema up to date: Python Astra's
     * {@code connect(dbname, user, host, port)}, without a JDBC URL. A failure keeps the current
     * connections.
     *
     * @throws AstraException.BadInput on SQLite
     */
    public synchronized void connect(String dbname, String user, String host, Integer port) {
        session.connect(dbname, user, host, port);
    }

    /**
     * Whether {@code settings} can connect now, asked silently (Python Astra's
     * {@code silent_on_fail}): empty if one connection opened and answered, else why not. Nothing
     * is logged or migrated.
     */
    public static Optional<String> probe(DatabaseSettings settings) {
        try (Connection c = Connections.driver(settings).getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of(Failures.reason(e));
        }
    }

    /**
     * Connects as {@code user} from now on (a new pool; the password from the password file), with
     * the same URL and data version. If it cannot connect, the current connections stay.
     *
     * @throws AstraException.BadInput on SQLite, which has no users
     * @throws AstraException.DatabaseUnavailable if {@code user} cannot connect
     */
    public synchronized void become(String user) {
        session.become(user);
    }

    /**
     * Connects as the admin user: the profile's {@code admin_user}, else {@code [database] admin_user}.
     *
     * @throws AstraException.BadConfig if none is configured
     */
    public synchronized void becomeAdmin() {
        session.becomeAdmin();
    }

    /** Connects as the user of the profile (or of the settings it was opened with) again. */
    public synchronized void becomeUser() {
        session.becomeUser();
    }

    /**
     * Switches to another data version: PostgreSQL's {@code search_path} starts with the schema
     * {@code version} from now on, so unqualified names find that version's tables, followed by
     * the schema the connections used before (Astra's own tables are found by their schema,
     * whatever the path); null goes back to the URL's path. A new pool; if the
     * schema does not exist, the current connections stay.
     *
     * @throws AstraException.BadInput on SQLite, for a name that is not a plain identifier, or a
     *     schema that does not exist
     */
    public synchronized void changeVersion(String version) {
        session.changeVersion(version);
    }

    /** The data version set by {@link #changeVersion}, if any. */
    public Optional<String> version() {
        return session.version();
    }

    /**
     * Runs {@code hook} on every connection opened from now on (null removes it), and reconnects
     * so that no connection without it is left. It stays across {@link #become},
     * {@link #changeVersion}, {@link #setProfile} and {@link #initProcess()} in this process;
     * worker processes set their own, e.g. in a {@code ProcessInitializer}.
     */
    public synchronized void postConnect(PostConnect hook) {
        PostConnect previous = postConnect;
        postConnect = hook;
        try {
            reconnect(settings, null);
        } catch (RuntimeException e) {
            postConnect = previous;
            throw e;
        }
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
            return ConnectionLimits.read(dsl(), dialect);
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
        install(settings, openConnections(settings));
        session.rememberDefaultSchema();
    }

    /**
     * Connects with {@code next}, lets {@code check} (if not null) look at the new connections,
     * and only then swaps them in and closes the old ones: a failure leaves things as they were.
     */
    void reconnect(DatabaseSettings next, Consumer<Connections> check) {
        if (closed) {
            throw new IllegalStateException("the database " + describe() + " is closed");
        }
        Connections fresh = openConnections(next);
        try {
            if (check != null) {
                check.accept(fresh);
            }
        } catch (RuntimeException e) {
            discard(fresh);
            throw e;
        }
        Connections old = connections;
        install(next, fresh);
        discard(old);
        log.debug("reconnected to {}", next.describe());
    }

    private Connections openConnections(DatabaseSettings target) {
        DriverDataSource driver = Connections.driver(target, pgpass, postConnect);
        try (Connection c = driver.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
        } catch (SQLException | RuntimeException e) {
            Optional<String> noPassword = pgpass.missingPassword(target, e);
            if (noPassword.isPresent()) {
                throw new AstraException.DatabaseUnavailable(noPassword.get(), e);
            }
            throw unavailable(target, e);
        }
        try {
            return Connections.open(target, driver);
        } catch (RuntimeException e) {
            throw unavailable(target, e);
        }
    }

    private void install(DatabaseSettings target, Connections fresh) {
        settings = target;
        connections = fresh;
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(new DataSourceConnectionProvider(fresh.dataSource())).set(dialect)
                .set(AstraTables.renderSettings(target));
        if (target.echo()) {
            configuration.set(new SqlEcho());
        }
        dsl = DSL.using(configuration);
        connectCount.incrementAndGet();
        reflection.forget();
    }

    /**
     * Brings Astra's tables up to date (nothing to do when they are).
     *
     * @throws AstraException.DatabaseUnavailable if the migration fails
     */
    public void migrate() {
        try {
            Migrations.migrate(settings, dataSource(), Connections.driver(settings, pgpass, postConnect));
        } catch (AstraException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AstraException.DatabaseUnavailable(sqliteFault(settings, e).orElseGet(() ->
                    "cannot bring the schema of " + describe() + " up to date: " + Failures.reason(e)), e);
        }
    }

    private static AstraException.DatabaseUnavailable unavailable(DatabaseSettings target, Exception e) {
        return new AstraException.DatabaseUnavailable(sqliteFault(target, e).orElseGet(() ->
                "cannot connect to " + target.describe() + ": " + Failures.reason(e)), e);
    }

    /** A SQLite file's own fault (full, read-only, corrupt) in a sentence that says what to do. */
    private static Optional<String> sqliteFault(DatabaseSettings target, Exception e) {
        return target.isSqlite() ? Connections.sqliteFile(target.url())
                .flatMap(file -> SqliteFaults.describe(e, file.toAbsolutePath())) : Optional.empty();
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
}
