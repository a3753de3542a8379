package astra.core.db;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/** SKELETON (to be implemented): Astra's connection to its database. */
public final class Database implements AutoCloseable {

    /** Connects (pooled or not), checks the connection, migrates the schema, installs the task store for the process. */
    public static Database open(DatabaseSettings settings) { throw new UnsupportedOperationException("skeleton"); }

    public DSLContext dsl() { throw new UnsupportedOperationException("skeleton"); }

    public SQLDialect dialect() { throw new UnsupportedOperationException("skeleton"); }

    public TaskStore store() { throw new UnsupportedOperationException("skeleton"); }

    public DatabaseSettings settings() { throw new UnsupportedOperationException("skeleton"); }

    /** Drops whatever connections this process holds (inherited or not) and reconnects; once per process. */
    public void initProcess() { throw new UnsupportedOperationException("skeleton"); }

    /** The URL and user, never the password. */
    public String describe() { throw new UnsupportedOperationException("skeleton"); }

    @Override
    public void close() { throw new UnsupportedOperationException("skeleton"); }
}
