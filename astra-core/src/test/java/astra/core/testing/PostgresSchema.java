package astra.core.testing;

import astra.core.db.DatabaseSettings;

/** A test's own PostgreSQL schema; {@link #close()} drops it with everything in it. */
public final class PostgresSchema implements AutoCloseable {

    private final String name;
    private final String baseUrl;
    private final DatabaseSettings settings;

    PostgresSchema(String name, String baseUrl, DatabaseSettings settings) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.settings = settings;
    }

    /** Settings whose connections use this schema ({@code currentSchema} in the URL). */
    public DatabaseSettings settings() {
        return settings;
    }

    public String name() {
        return name;
    }

    /** Drops the schema; close every {@code Database} on it first. */
    @Override
    public void close() {
        TestDatabases.execute(baseUrl, "drop schema if exists " + name + " cascade");
    }

    @Override
    public String toString() {
        return "PostgresSchema[" + name + " in " + DatabaseSettings.maskPassword(baseUrl) + "]";
    }
}
