package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.ConnectionLimits;
import astra.core.db.Database;
import astra.core.db.DatabaseChoice;
import astra.core.db.DatabaseProfile;
import astra.core.db.DatabaseSettings;
import astra.core.db.Pgpass;
import astra.worker.ConnectionBudget;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPoolFactory;
import astra.worker.local.ProcessWorkerPool;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jooq.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code astra db}: Astra's database itself, its schema, its profiles. No password is ever printed. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Looks after Astra's database: its schema, the connections a run needs, its profiles.",
        subcommands = {DbCommand.Migrate.class, DbCommand.Check.class, DbCommand.Info.class, DbCommand.Profiles.class,
                DbCommand.Tables.class},
        footer = {"", "Examples:",
                "  astra db check --workers 16",
                "  astra db tables catalogdb",
                "  astra db info --profile utah"})
final class DbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_INPUT;
    }

    /** What every {@code astra db} subcommand takes. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        Config config() {
            return database.loadConfig(spec.commandLine().getErr());
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Brings Astra's tables up to date (every command does it too, when it opens the database).",
            footer = {"", "Example:", "  astra db migrate --profile utah"})
    static final class Migrate extends Sub {
        @Override
        public Integer call() {
            DatabaseChoice choice = database.choice(config());
            try (Database db = Database.connect(choice, Clock.systemUTC())) {
                Optional<String> before = db.schemaVersion();
                db.migrate();
                String now = db.schemaVersion().orElse("?");
                out().println(db.describe() + ": schema version " + now
                        + (before.equals(Optional.of(now)) ? " (already up to date)"
                                : " (was " + before.orElse("empty") + ")"));
            }
            return ExitCodes.OK;
        }
    }

    /** How long {@code astra db info} tries to connect, at most, for the schema version. */
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(3);

    /** The schema version of a connected database, against this build's latest. */
    static String schemaVersion(Database db) {
        String latest = Database.latestSchemaVersion();
        return db.schemaVersion()
                .map(v -> v.equals(latest) ? v + " (latest)" : v + ", this build's is " + latest
                        + ": 'astra db migrate' (or the next run) brings it up to date")
                .orElse("none yet: 'astra db migrate' (or the next run) creates Astra's tables");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Connects, and shows the schema version, the server's max_connections and the "
                    + "connection budget of a run with --workers workers.",
                    "Exits 6 when the database cannot be reached, 2 when the budget does not fit."},
            footer = {"", "Example:", "  astra db check --workers 32"})
    static final class Check extends Sub {
        @Option(names = "--workers", paramLabel = "N",
                description = "Worker processes of the run to budget for (default: [core] workers, else 1).")
        Integer workers;

        @Override
        public Integer call() {
            Config cfg = config();
            DatabaseChoice choice = database.choice(cfg);
            WorkerOptions options = WorkerOptions.from(cfg, workers, choice.settings(), List.of());
            WorkerPoolFactory pools = ProcessWorkerPool.factory(options);
            ConnectionBudget budget = new ConnectionBudget(choice.settings().poolSize(), pools.workers(), pools.connections());
            PrintWriter out = out();
            try (Database db = Database.connect(choice, Clock.systemUTC())) {
                out.println("database:          " + db.describe() + " (" + source(choice) + ")");
                out.println("connection:        ok");
                out.println("schema version:    " + schemaVersion(db));
                Optional<ConnectionLimits> limits = db.connectionLimits();
                out.println("max_connections:   " + limits.map(l -> l.maxConnections() + " (" + l.reservedConnections()
                        + " reserved for superusers, " + l.inUse() + " in use, " + l.available() + " available)")
                        .orElse("no limit (SQLite has no server)"));
                out.println(budget.describe(limits));
                out.flush();
                budget.check(limits);
                out.println("the budget fits");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Shows the database in use: its profile, URL, users and pool settings, whether the "
                    + "password file has a password for it (never the password), and the version of Astra's schema "
                    + "in it (connecting for that alone, for at most 3 s; 'astra db check' tests the connection).",
            footer = {"", "Example:", "  ASTRA_PROFILE=utah astra db info"})
    static final class Info extends Sub {
        @Override
        public Integer call() {
            Config cfg = config();
            DatabaseChoice choice = database.choice(cfg);
            DatabaseSettings s = choice.settings();
            // Before anything is printed: a password file others may read is refused with exit 2.
            String password = s.isSqlite() ? null : password(s);
            PrintWriter out = out();
            out.println("config:            " + cfg.source().map(Object::toString).orElse("(none)"));
            out.println("profile:           " + choice.activeProfile().map(p -> p.name() + " (" + choice.source() + ")")
                    .orElse("none (" + choice.source() + ")"));
            out.println("url:               " + DatabaseSettings.maskPassword(s.url()));
            if (!s.isSqlite()) {
                out.println("user:              " + s.effectiveUser().orElse("(the driver's default: "
                        + System.getProperty("user.name") + ")"));
                out.println("admin_user:        " + choice.adminUser().orElse("(none)"));
                out.println("schema:            " + s.schema() + " (Astra's tables; [database] schema)");
                out.println("password:          " + password);
            }
            choice.activeProfile().map(DatabaseProfile::domain)
                    .ifPresent(d -> out.println("domain:            " + d));
            out.println("pooling:           " + (s.usePooling() ? s.poolSize() + " connection(s) per process" : "off"));
            out.println("connect_timeout:   " + seconds(s.connectTimeout()));
            out.println("schema version:    " + schemaVersion(choice));
            return ExitCodes.OK;
        }

        /**
         * The schema version, asked with a short connect timeout and no waiting out an outage;
         * a SQLite file that does not exist is not created to answer.
         */
        private static String schemaVersion(DatabaseChoice choice) {
            DatabaseSettings s = choice.settings();
            if (s.sqliteFile().filter(file -> !Files.exists(file)).isPresent()) {
                return "none yet (no database file): the first run creates it";
            }
            DatabaseSettings quick = s.withPooling(false).withOutageTimeout(Duration.ZERO)
                    .withConnectTimeout(s.connectTimeout().compareTo(INFO_TIMEOUT) < 0 ? s.connectTimeout() : INFO_TIMEOUT);
            try (Database db = Database.connect(choice.withSettings(quick), Clock.systemUTC())) {
                return DbCommand.schemaVersion(db);
            } catch (AstraException e) {
                return "unknown: the database cannot be reached ('astra db check' says why)";
            }
        }

        private static String password(DatabaseSettings s) {
            if (s.urlParameter("password").isPresent()) {
                return "******** (in the URL)";
            }
            Pgpass pgpass = Pgpass.system();
            if (!pgpass.exists()) {
                return "none (" + pgpass.file() + " does not exist)";
            }
            return pgpass.passwordFor(s).map(p -> "******** (from " + pgpass.file() + ")")
                    .orElse("none (no line of " + pgpass.file() + " matches)");
        }

        private static String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    @Command(name = "tables", mixinStandardHelpOptions = true,
            description = {"Lists the tables of a schema as the database has them, with their columns: what a task "
                    + "can query through Database.reflection(). Astra's own tables are marked.",
                    "Exits 2 for a schema that does not exist."},
            footer = {"", "Examples:", "  astra db tables", "  astra db tables catalogdb --profile utah"})
    static final class Tables extends Sub {
        private static final int SHOWN_COLUMNS = 12;

        @Parameters(arity = "0..1", paramLabel = "SCHEMA",
                description = "The schema (default: the connections' current one, usually public; SQLite: the file).")
        String schema;

        @Override
        public Integer call() {
            DatabaseChoice choice = database.choice(config());
            try (Database db = Database.connect(choice, Clock.systemUTC())) {
                String name = schema == null || schema.isBlank() ? db.reflection().currentSchema() : schema.strip();
                boolean sqlite = db.settings().isSqlite();
                if (sqlite && !name.equals("main")) {
                    throw new AstraException.BadInput("a SQLite file has one schema, main, holding every"
                            + " table: 'astra db tables' lists them");
                }
                List<Table<?>> tables = db.reflection().tables(name);
                if (tables.isEmpty() && !sqlite && db.dsl().meta().getSchemas(name).isEmpty()) {
                    throw new AstraException.BadInput("there is no schema " + name + " in " + db.describe()
                            + " (or the user may not see it); 'astra db tables' lists the current one");
                }
                boolean astras = sqlite || name.equals(db.settings().schema());
                PrintWriter out = out();
                out.println((sqlite ? "the SQLite file " + db.describe().substring("jdbc:sqlite:".length()) : "schema " + name) + ": " + tables.size() + " table(s)"
                        + (tables.isEmpty() ? "" : ":"));
                int width = tables.stream().mapToInt(t -> t.getName().length()).max().orElse(0);
                for (Table<?> t : tables) {
                    boolean own = astras && t.getName().startsWith("astra_");
                    List<String> columns = Arrays.stream(t.fields())
                            .map(f -> f.getName() + " " + f.getDataType().getTypeName()).toList();
                    String shown = String.join(", ", columns.subList(0, Math.min(SHOWN_COLUMNS, columns.size())))
                            + (columns.size() > SHOWN_COLUMNS ? ", and " + (columns.size() - SHOWN_COLUMNS) + " more" : "");
                    out.println("  " + pad(t.getName(), width) + "  " + (own ? "(Astra's) " : "") + columns.size()
                            + " column(s): " + shown);
                }
                if (!sqlite && !astras) {
                    out.println("Astra's own tables are in the schema " + db.settings().schema() + ": astra db tables "
                            + db.settings().schema());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "profiles", mixinStandardHelpOptions = true,
            description = "Lists the database profiles of the config, [database.profile NAME] sections; "
                    + "* marks the one in use.",
            footer = {"", "Example:", "  astra db profiles --config ~/utah.cfg"})
    static final class Profiles extends Sub {
        @Override
        public Integer call() {
            Config cfg = config();
            DatabaseChoice choice = database.choice(cfg);
            List<DatabaseProfile> all = choice.profiles().all();
            PrintWriter out = out();
            if (all.isEmpty()) {
                out.println("no profiles in " + cfg.sourceName() + ": add [database.profile NAME] sections"
                        + " (see utah.cfg.example)");
            }
            int width = all.stream().mapToInt(p -> p.name().length()).max().orElse(0);
            for (DatabaseProfile p : all) {
                boolean active = choice.activeProfile().map(a -> a.name().equals(p.name())).orElse(false);
                out.println((active ? "* " : "  ") + pad(p.name(), width) + "  " + p.settings().describe()
                        + p.admin().map(a -> ", admin " + a).orElse("")
                        + (p.domain() == null ? "" : ", domain " + p.domain()));
            }
            out.println("in use: " + choice.activeProfile().map(p -> "profile " + p.name() + " (" + choice.source() + ")")
                    .orElse(choice.source() + ", " + choice.settings().describe()));
            return ExitCodes.OK;
        }

    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String source(DatabaseChoice choice) {
        return choice.activeProfile().map(p -> "profile " + p.name() + ", from " + choice.source())
                .orElse(choice.source());
    }
}
