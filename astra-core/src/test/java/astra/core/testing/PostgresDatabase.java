package astra.core.testing;

import astra.core.db.DatabaseSettings;

/**
 * A test's own PostgreSQL database, for what a schema cannot isolate: Astra's tables in their
 * default schema ({@code astra}), beside a survey's tables in {@code public}. {@link #close()}
 * drops it, ending any connection left on it.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final String name;
    private final String baseUrl;
    private final String url;

    PostgresDatabase(String name, String baseUrl, String url) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.url = url;
    }

    /** The JDBC URL of the new database, with the base URL's parameters (user, ...), no schema chosen. */
    public String url() {
        return url;
    }

    /** Settings for it with every default: Astra's tables go to the schema {@code astra}. */
    public DatabaseSettings settings() {
        return DatabaseSettings.of(url, null);
    }

    /** Runs one statement on it. */
    public void execute(String sql) {
        TestDatabases.execute(url, sql);
    }

    @Override
    public void close() {
        TestDatabases.execute(baseUrl, "drop database if exists " + name + " with (force)");
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + DatabaseSettings.maskPassword(url) + "]";
    }
}
