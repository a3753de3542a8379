package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.Failures;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python Astra's session switching, for one {@link Database}: which profile it uses, which user
 * it became and which data version it switched to, and the settings that follow from them. Each
 * switch connects anew through the database, and is remembered only once that succeeded. The
 * database calls it under its own lock.
 */
final class DatabaseSession {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSession.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Database database;
    private volatile DatabaseChoice choice;
    private volatile String becameUser;
    private volatile String version;
    private volatile String defaultSchema;

    DatabaseSession(Database database, DatabaseChoice choice) {
        this.database = database;
        this.choice = choice;
    }

    /** {@link Database#profile}. */
    Optional<DatabaseProfile> profile() {
        return choice.activeProfile();
    }

    /** {@link Database#listProfiles}. */
    List<DatabaseProfile> listProfiles() {
        return choice.profiles().all();
    }

    /** {@link Database#setProfile}. */
    void setProfile(String name) {
        DatabaseProfile profile;
        if (name == null) {
            String host = DatabaseProfiles.localHostName();
            profile = choice.profiles().forHost(host).orElseThrow(() -> new AstraException.BadInput(
                    "setProfile(null) takes the profile whose domain matches this host, " + host + ", and no profile's does"
                            + (choice.profiles().all().isEmpty() ? " (the config has none)" : "")));
        } else {
            profile = choice.profiles().get(name, "setProfile");
        }
        name = profile.name();
        if (profile.settings().dialect() != database.dialect()) {
            throw new AstraException.BadInput("profile '" + name + "' is " + profile.settings().dialect().getName()
                    + ", but this database is " + database.dialect().getName() + ": open a new Database for it");
        }
        DatabaseChoice next = new DatabaseChoice(profile.settings(), profile, "setProfile", choice.profiles(),
                choice.baseAdminUser());
        database.reconnect(profile.settings(), null);
        choice = next;
        becameUser = null;
        version = null;
        defaultSchema = null;
        rememberDefaultSchema();
        database.migrate();
    }

    /** {@link Database#connect(String, String, String, Integer)}: the settings in use, moved; the profile kept. */
    void connect(String dbname, String user, String host, Integer port) {
        DatabaseSettings next = choice.settings().withParameters(dbname, user, host, port);
        database.reconnect(next, null);
        choice = new DatabaseChoice(next, choice.profile(), "connect", choice.profiles(), choice.baseAdminUser());
        becameUser = null;
        version = null;
        defaultSchema = null;
        rememberDefaultSchema();
        database.migrate();
    }

    /** {@link Database#become}. */
    void become(String user) {
        if (user == null || user.isBlank()) {
            throw new AstraException.BadInput("become() needs a user name");
        }
        if (database.dialect() != SQLDialect.POSTGRES) {
            throw new AstraException.BadInput("become() needs PostgreSQL roles; " + database.describe() + " is SQLite");
        }
        database.reconnect(compose(user.strip(), version), null);
        becameUser = user.strip();
    }

    /** {@link Database#becomeAdmin}. */
    void becomeAdmin() {
        String admin = choice.adminUser().orElseThrow(() -> new AstraException.BadConfig(
                "no admin_user is configured for " + profile().map(p -> "the profile '" + p.name() + "'")
                        .orElse("[database]") + ": add admin_user = ROLE to its section"));
        become(admin);
    }

    /** {@link Database#becomeUser}. */
    void becomeUser() {
        database.reconnect(compose(null, version), null);
        becameUser = null;
    }

    /** {@link Database#changeVersion}. */
    void changeVersion(String version) {
        if (version == null) {
            database.reconnect(compose(becameUser, null), null);
            this.version = null;
            return;
        }
        if (database.dialect() != SQLDialect.POSTGRES) {
            throw new AstraException.BadInput("changeVersion() needs PostgreSQL schemas; " + database.describe() + " is SQLite");
        }
        if (!SCHEMA_NAME.matcher(version).matches()) {
            throw new AstraException.BadInput("'" + version + "' is not a schema name (letters, digits and _)");
        }
        database.reconnect(compose(becameUser, version), fresh -> {
            String first = DSL.using(fresh.dataSource(), database.dialect()).select(DSL.currentSchema()).fetchOne(0, String.class);
            if (first == null || !first.equalsIgnoreCase(version)) {
                throw new AstraException.BadInput("there is no schema '" + version + "' in " + database.describe()
                        + " (or the user may not use it)");
            }
        });
        this.version = version;
    }

    /** {@link Database#version}. */
    Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** The profile's settings with this process's changes: another user, another data version. */
    private DatabaseSettings compose(String user, String dataVersion) {
        DatabaseSettings base = choice.settings();
        DatabaseSettings composed = user == null ? base : base.withUser(user);
        if (dataVersion != null) {
            String usual = defaultSchema == null ? "public" : defaultSchema;
            composed = composed.withUrlParameter("currentSchema", dataVersion + "," + usual);
        }
        return composed;
    }

    /**
     * The schema the connections use unless told otherwise (usually {@code public}), so a data
     * version can be put in front of it and unqualified names still find the rest.
     */
    void rememberDefaultSchema() {
        if (database.dialect() != SQLDialect.POSTGRES || defaultSchema != null) {
            return;
        }
        try {
            defaultSchema = database.dsl().select(DSL.currentSchema()).fetchOne(0, String.class);
        } catch (DataAccessException e) {
            log.debug("cannot ask for the current schema: {}", Failures.reason(e));
        }
    }
}
