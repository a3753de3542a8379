package astra.core.db;

import astra.core.config.Config;
import java.nio.file.Path;

/** SKELETON (to be implemented): how to reach the database, validated. */
public record DatabaseSettings(String url, String user, boolean usePooling, int poolSize) {

    /** The embedded default: a SQLite file at {@code <dir>/.astra/astra.db}. */
    public static DatabaseSettings embeddedDefault(Path workingDir) { throw new UnsupportedOperationException("skeleton"); }

    /** From {@code --db} if given, else the {@code [database]} section, else the embedded default. */
    public static DatabaseSettings from(Config config, String urlOverride, Path workingDir) { throw new UnsupportedOperationException("skeleton"); }
}
