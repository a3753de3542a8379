package astra.core.db;

import astra.core.AstraException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;

/**
 * One process's way to its database: a pool, or (pooling off) the driver itself, so that every
 * transaction opens and closes its own connection.
 */
final class Connections implements AutoCloseable {

    /** How long a SQLite writer waits for another to commit before failing with SQLITE_BUSY. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;
    static final String POOL_NAME = "astra";

    private final DriverDataSource driver;
    private final DataSource dataSource;

    private Connections(DriverDataSource driver, DataSource dataSource) {
        this.driver = driver;
        this.dataSource = dataSource;
    }

    /**
     * The pool over {@code driver}, which connects in the background and on demand; or, unpooled,
     * the driver itself. Opens no connection before it returns.
     */
    static Connections open(DatabaseSettings settings, DriverDataSource driver) {
        if (!settings.usePooling()) {
            return new Connections(driver, driver);
        }
        return new Connections(driver, new HikariDataSource(poolConfig(settings, driver)));
    }

    /** A data source of fresh connections with Astra's driver settings, not pooled. */
    static DriverDataSource driver(DatabaseSettings settings) {
        return driver(settings, Pgpass.system(), null);
    }

    /**
     * As above, with the password for PostgreSQL from {@code pgpass} (unless the URL carries one),
     * and {@code postConnect} (if not null) run on every new connection.
     *
     * @throws AstraException.BadConfig if the password file is open to others
     */
    static DriverDataSource driver(DatabaseSettings settings, Pgpass pgpass, Database.PostConnect postConnect) {
        Optional<Path> readOnly = settings.isSqlite() ? readOnlySqliteFile(settings.url()) : Optional.empty();
        if (readOnly.isPresent()) {
            // Nothing can be written beside the file (its -wal and -shm): it is read as it is, so
            // that astra status and show work on a read-only file system; a write says why it fails.
            return new DriverDataSource("jdbc:sqlite:file:" + readOnly.get().toUri().getRawPath() + "?immutable=1",
                    sqliteReadOnlyProperties(), timeoutSeconds(settings), postConnect);
        }
        Properties properties = settings.isSqlite() ? sqliteProperties() : postgresProperties(settings);
        if (settings.user() != null && !settings.isSqlite()) {
            properties.setProperty("user", settings.user());
        }
        if (!settings.isSqlite()) {
            password(settings, pgpass).ifPresent(p -> properties.setProperty("password", p));
        }
        // The driver lets a user= in the URL win over the one it is given; the settings' user wins here.
        String url = settings.user() != null && !settings.isSqlite()
                ? DatabaseSettings.withUrlParameter(settings.url(), "user", null) : settings.url();
        return new DriverDataSource(url, properties, timeoutSeconds(settings), postConnect);
    }

    /** The password {@code pgpass} holds for these settings (see {@link Pgpass#passwordFor}). */
    static Optional<String> password(DatabaseSettings settings, Pgpass pgpass) {
        return pgpass.passwordFor(settings);
    }

    DataSource dataSource() {
        return dataSource;
    }

    DriverDataSource driver() {
        return driver;
    }

    /** Closes the pool. Its connections may be broken or in use elsewhere: nothing is asked of them. */
    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    /** The file a SQLite URL names, if it exists and its directory cannot be written. */
    static Optional<Path> readOnlySqliteFile(String url) {
        return sqliteFile(url).map(Path::toAbsolutePath)
                .filter(file -> Files.isRegularFile(file) && !Files.isWritable(file.getParent()));
    }

    private static Properties sqliteReadOnlyProperties() {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        return config.toProperties();
    }

    /** The file a SQLite URL names, if it names one (not {@code :memory:}). */
    static Optional<Path> sqliteFile(String url) {
        String rest = url.substring(DatabaseSettings.SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.contains(":memory:") || rest.startsWith(":resource:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(rest));
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, DataSource driver) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setDataSource(driver);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(1, settings.poolSize()));
        long timeoutMs = Math.max(250, settings.connectTimeout().toMillis());
        config.setConnectionTimeout(timeoutMs);
        config.setValidationTimeout(Math.min(timeoutMs, 5_000));
        // Database checks the server with one plain connection first and fails at once with the
        // driver's reason; the pool's own start-up check would retry for a second and log an ERROR
        // with a stack trace.
        config.setInitializationFailTimeout(-1);
        // The SQLite driver refuses to have a connection's read-only flag changed, which the pool does to match this.
        config.setReadOnly(settings.isSqlite() && readOnlySqliteFile(settings.url()).isPresent());
        return config;
    }

    private static Properties postgresProperties(DatabaseSettings settings) {
        Properties properties = new Properties();
        String seconds = Integer.toString(timeoutSeconds(settings));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("ApplicationName", "astra");
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** Drivers count whole seconds; round up, so a short timeout does not become none (0). */
    private static int timeoutSeconds(DatabaseSettings settings) {
        return (int) Math.max(1, (settings.connectTimeout().toMillis() + 999) / 1000);
    }

    private static Properties sqliteProperties() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable across crashes of the process in WAL mode; only power loss can undo
        // the last commits.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        // A deferred transaction that reads and then writes fails with SQLITE_BUSY under
        // concurrent writers; IMMEDIATE takes the write lock at BEGIN and waits for it instead.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.toProperties();
    }
}
