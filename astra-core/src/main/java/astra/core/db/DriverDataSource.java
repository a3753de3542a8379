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
    private final AtomicLong opened = new AtomicLong();

    DriverDataSource(String url, Properties properties, int loginTimeoutSeconds) {
        this.url = url;
        this.properties = properties;
        this.loginTimeoutSeconds = loginTimeoutSeconds;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties);
        opened.incrementAndGet();
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties withUser = new Properties();
        withUser.putAll(properties);
        withUser.setProperty("user", username);
        withUser.setProperty("password", password);
        Connection connection = DriverManager.getConnection(url, withUser);
        opened.incrementAndGet();
        return connection;
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
