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

    /** Settings that keep Astra's tables in this schema, whose connections use it too ({@code currentSchema} in the URL). */
    public DatabaseSettings settings() {
        return settings;
    }

    public String name() {
        return name;
    }

    /**
     * The {@code [database]} section that points the CLI here: {@code --db} alone would name the
     * database but leave Astra's tables in the default schema, shared by every test.
     */
    public String configSection() {
        return "[database]\nurl = " + settings.url() + "\nschema = " + name + "\n";
    }

    /**
     * Writes {@code extra} (another config's text, or nothing) with {@link #configSection()}'s
     * keys to {@code file}: in {@code extra}'s own {@code [database]} section if it has one.
     */
    public java.nio.file.Path writeConfig(java.nio.file.Path file, String extra) {
        String text = extra == null ? "" : extra;
        String keys = configSection().substring("[database]\n".length());
        java.util.regex.Matcher section = java.util.regex.Pattern.compile("(?m)^\\[database\\]\\s*$\\n?").matcher(text);
        text = section.find() ? text.substring(0, section.end()) + keys + text.substring(section.end())
                : text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + configSection();
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
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
