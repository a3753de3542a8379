package astra.core.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A new physical connection on every {@link #getConnection()}: what the pool draws from, and
 * what Astra uses directly when pooling is off. Counts the connections it opened.
 */
final class DriverDataSource implements DataSource {

    private final String url;
    private final Properties properties;
    private final int loginTimeoutSeconds;
    private final Database.PostConnect postConnect;
    private final AtomicLong opened = new AtomicLong();

    DriverDataSource(String url, Properties properties, int loginTimeoutSeconds) {
        this(url, properties, loginTimeoutSeconds, null);
    }

    /** {@code properties} may hold a password: they are never printed. */
    DriverDataSource(String url, Properties properties, int loginTimeoutSeconds, Database.PostConnect postConnect) {
        this.url = url;
        this.properties = properties;
        this.loginTimeoutSeconds = loginTimeoutSeconds;
        this.postConnect = postConnect;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return afterConnect(DriverManager.getConnection(url, properties));
    }

    /** Whether the driver is given a password (tests check that the password file was read). */
    boolean hasPassword() {
        return properties.containsKey("password");
    }

    private Connection afterConnect(Connection connection) throws SQLException {
        opened.incrementAndGet();
        if (postConnect == null) {
            return connection;
        }
        try {
            postConnect.accept(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof SQLException sql ? sql : new SQLException("the post-connect hook failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties withUser = new Properties();
        withUser.putAll(properties);
        withUser.setProperty("user", username);
        withUser.setProperty("password", password);
        return afterConnect(DriverManager.getConnection(url, withUser));
    }

    /** How many connections this data source has opened. */
    long opened() {
        return opened.get();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Logging goes through SLF4J.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Fixed by the settings, and given to the driver in its properties.
    }

    /** The settings' connect timeout; the pool also waits this long for its threads when closing. */
    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
