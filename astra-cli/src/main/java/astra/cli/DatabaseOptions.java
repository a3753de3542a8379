package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.db.Database;
import astra.core.db.DatabaseChoice;
import astra.core.db.DatabaseProfiles;
import astra.core.db.DatabaseSettings;
import astra.core.internal.StateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The config file and the database, as every command that reads or writes Astra's tables takes
 * them: {@code --config}, {@code --db} and {@code --profile}. One place, so every command finds
 * the same database the same way.
 */
final class DatabaseOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $ASTRA_CONFIG, ./utah.cfg, ~/.config/astra/utah.cfg).")
    Path config;

    @Option(names = "--db", paramLabel = "URL",
            description = "Database, e.g. jdbc:postgresql://host/db?user=me (default: [database] url, "
                    + "else SQLite at ./.astra/astra.db).")
    String db;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Database profile, a [database.profile NAME] section of the config (default: "
                    + "$ASTRA_PROFILE, else the profile whose domain matches this host, else [database]).")
    String profile;

    @Option(names = "--echo", description = "Log every SQL statement with its bind values ([database] echo).")
    boolean echo;

    /** The config, its warnings printed to {@code err}. */
    Config loadConfig(PrintWriter err) {
        Config cfg = Config.load(config).withKeys(ConfigChecks.MODULE_KEYS);
        cfg.warnings().forEach(w -> err.println("astra: warning: " + w));
        if (db != null && !DatabaseSettings.maskPassword(db).equals(db)) {
            err.println("astra: warning: --db carries a password, which anyone on this host can read in the process"
                    + " list (ps); put it in ~/.pgpass (mode 0600) instead: host:port:database:user:password");
        }
        StateFiles.shareWith(cfg.get(ConfigKeys.SHARED_GROUP.section(), ConfigKeys.SHARED_GROUP.name(), ""));
        return cfg;
    }

    /**
     * Which database, and why: {@code --db}, else {@code --profile}, else {@code $ASTRA_PROFILE},
     * else the profile of this host's domain, else {@code [database]}, else the embedded default.
     */
    DatabaseChoice choice(Config cfg) {
        DatabaseChoice choice = DatabaseProfiles.from(cfg).choose(cfg, db, profile, Path.of("").toAbsolutePath());
        return echo ? choice.withSettings(choice.settings().withEcho(true)) : choice;
    }

    /** The settings of {@link #choice}. */
    DatabaseSettings settings(Config cfg) {
        return choice(cfg).settings();
    }

    /**
     * Refuses the embedded SQLite database for what needs workers on several hosts ({@code astra
     * worker}, the Slurm executor): one file cannot be shared by them.
     */
    static void requireShared(DatabaseSettings settings, String what) {
        if (settings.isSqlite()) {
            throw new AstraException.BadConfig(what + " needs PostgreSQL: workers on several hosts share "
                    + "one database, and the SQLite file " + settings.url().replaceFirst("^jdbc:sqlite:", "")
                    + " serves one host only. Set [database] url = jdbc:postgresql://HOST/DB in the config file "
                    + "(utah.cfg), or use --db or --profile; see the README, Running on a cluster.");
        }
    }

    /** Opens (and migrates) the database of these options. */
    Database open(Config cfg) {
        return Database.open(choice(cfg));
    }
}
