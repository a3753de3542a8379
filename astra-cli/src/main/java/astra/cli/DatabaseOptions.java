package astra.cli;

import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The config file and the database, as every command that reads or writes Astra's tables takes
 * them: {@code --config} and {@code --db}. One place, so every command finds the same database
 * the same way.
 */
final class DatabaseOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $ASTRA_CONFIG, ./utah.cfg, ~/.config/astra/utah.cfg).")
    Path config;

    @Option(names = "--db", paramLabel = "URL",
            description = "Database, e.g. jdbc:postgresql://host/db?user=me (default: [database] url, "
                    + "else SQLite at ./.astra/astra.db).")
    String db;

    /** The config, its warnings printed to {@code err}. */
    Config loadConfig(PrintWriter err) {
        Config cfg = Config.load(config);
        cfg.warnings().forEach(w -> err.println("astra: warning: " + w));
        return cfg;
    }

    /** The database settings: {@code --db}, else the config's, else the embedded default. */
    DatabaseSettings settings(Config cfg) {
        return DatabaseSettings.from(cfg, db, Path.of("").toAbsolutePath());
    }

    /** Opens (and migrates) the database of these options. */
    Database open(Config cfg) {
        return Database.open(settings(cfg));
    }
}
