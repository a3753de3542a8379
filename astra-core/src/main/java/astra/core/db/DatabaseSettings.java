package astra.core.db;

import astra.core.AstraException;
import astra.core.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.SQLDialect;

/**
 * How to reach Astra's database, validated: a PostgreSQL or SQLite JDBC URL, an optional user
 * (PostgreSQL finds the password in {@code ~/.pgpass}, or in the URL), whether to pool
 * connections, the pool size per process, and how long to wait for a connection.
 *
 * <p>{@link #toString()} masks any password the URL carries.
 *
 * @param url            {@code jdbc:postgresql://host[:port]/db[?...]} or {@code jdbc:sqlite:path}
 * @param user           the database user, or null to use the URL's (or the driver's default)
 * @param usePooling     a connection pool per process (true), or a new connection per transaction
 * @param poolSize       the most connections one process holds; at least 1
 * @param connectTimeout how long to wait for a connection before giving up; positive
 * @param outageTimeout  how long a process that was connected waits out an outage of the database
 *     ({@link DatabaseOutage}) before it gives up; zero gives up at once
 * @param schema         the PostgreSQL schema that holds Astra's own tables and their migration
 *     history ({@value #DEFAULT_SCHEMA} by default), apart from the user's; a SQLite file holds
 *     them in its main schema, whatever this says
 * @param echo           log every SQL statement with its bind values (logger {@code astra.sql}, at INFO):
 *     Python Astra's {@code echo}
 */
public record DatabaseSettings(String url, String user, boolean usePooling, int poolSize, Duration connectTimeout,
        Duration outageTimeout, String schema, boolean echo) {

    /** The schema of Astra's tables on PostgreSQL when none is configured. */
    public static final String DEFAULT_SCHEMA = "astra";

    /** The pool size when none is configured. */
    public static final int DEFAULT_POOL_SIZE = 4;

    /** The connect timeout when none is configured. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    static final String SQLITE_PREFIX = "jdbc:sqlite:";

    private static final String SECTION = "database";
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:?]+):[^/@?]*@");
    private static final Pattern USER_PARAM = Pattern.compile("(?i)[?&;]user=([^&;]*)");
    private static final Pattern POSTGRES_PARTS = Pattern.compile("jdbc:postgresql://([^/:?@]+)(?::(\\d+))?/([^?]*)(\\?.*)?");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    /** A name PostgreSQL keeps as written without quotes, so that psql users type it as they see it. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(outageTimeout, "outageTimeout");
        schema = schema == null || schema.isBlank() ? DEFAULT_SCHEMA : schema.strip();
        checkSchema(schema, "[database] schema");
        if (outageTimeout.isNegative()) {
            throw new AstraException.BadConfig(
                    "[database] outage_timeout cannot be negative, got " + outageTimeout.toSeconds() + " s");
        }
        checkUrl(url, "[database] url");
        if (poolSize < 1) {
            throw new AstraException.BadConfig("[database] pool_size must be at least 1, got " + poolSize);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new AstraException.BadConfig(
                    "[database] connect_timeout must be positive, got " + connectTimeout.toSeconds() + " s");
        }
        if (user != null && user.isBlank()) {
            user = null;
        }
    }

    /**
     * Settings that wait out an outage for {@link DatabaseOutage#DEFAULT_TIMEOUT}, with Astra's
     * tables in the schema {@value #DEFAULT_SCHEMA}.
     */
    public DatabaseSettings(String url, String user, boolean usePooling, int poolSize, Duration connectTimeout) {
        this(url, user, usePooling, poolSize, connectTimeout, DatabaseOutage.DEFAULT_TIMEOUT, DEFAULT_SCHEMA, false);
    }

    /** Settings for a URL with the defaults: pooled, {@value #DEFAULT_POOL_SIZE} connections, 10 s timeout. */
    public static DatabaseSettings of(String url, String user) {
        return new DatabaseSettings(url, user, true, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The embedded default: a SQLite file at {@code <dir>/.astra/astra.db}. */
    public static DatabaseSettings embeddedDefault(Path workingDir) {
        Path file = workingDir.toAbsolutePath().normalize().resolve(".astra").resolve("astra.db");
        return of(SQLITE_PREFIX + file, null);
    }

    /**
     * From {@code --db} if given, else the {@code [database]} section, else the embedded default.
     * The section's other keys ({@code user}, {@code pool_size}, {@code use_pooling},
     * {@code connect_timeout}, {@code outage_timeout}, {@code schema}) apply in every case.
     */
    public static DatabaseSettings from(Config config, String urlOverride, Path workingDir) {
        return from(config::get, urlOverride, workingDir);
    }

    /** {@link #from(Config, String, Path)} over any lookup of {@code (section, key)}, so it can be tested alone. */
    static DatabaseSettings from(
            BiFunction<String, String, Optional<String>> lookup, String urlOverride, Path workingDir) {
        return from(lookup, urlOverride, workingDir, SECTION);
    }

    /**
     * As above, reading {@code section} (a profile's, whose lookup falls back to {@code [database]}
     * for the pool settings); messages name {@code [section]}.
     */
    static DatabaseSettings from(BiFunction<String, String, Optional<String>> lookup, String urlOverride,
            Path workingDir, String section) {
        Optional<String> configured = nonBlank(lookup.apply(section, "url"));
        String url;
        if (urlOverride != null && !urlOverride.isBlank()) {
            url = urlOverride.strip();
            checkUrl(url, "--db");
        } else if (configured.isPresent()) {
            url = configured.get();
            checkUrl(url, "[" + section + "] url");
        } else {
            url = embeddedDefault(workingDir).url();
        }
        String user = nonBlank(lookup.apply(section, "user")).orElse(null);
        String label = "[" + section + "] ";
        boolean pooling = nonBlank(lookup.apply(section, "use_pooling"))
                .map(v -> parseBoolean(label + "use_pooling", v)).orElse(true);
        int poolSize = nonBlank(lookup.apply(section, "pool_size"))
                .map(v -> parseInt(label + "pool_size", v)).orElse(DEFAULT_POOL_SIZE);
        if (poolSize < 1) {
            throw new AstraException.BadConfig(label + "pool_size must be at least 1, got " + poolSize);
        }
        Duration timeout = nonBlank(lookup.apply(section, "connect_timeout"))
                .map(v -> parseTimeout(label + "connect_timeout", v)).orElse(DEFAULT_CONNECT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new AstraException.BadConfig(label + "connect_timeout must be positive, got " + timeout.toSeconds() + " s");
        }
        Duration outage = nonBlank(lookup.apply(section, "outage_timeout"))
                .map(v -> parseTimeout(label + "outage_timeout", v)).orElse(DatabaseOutage.DEFAULT_TIMEOUT);
        String schema = nonBlank(lookup.apply(section, "schema")).orElse(DEFAULT_SCHEMA);
        checkSchema(schema, label + "schema");
        boolean echo = nonBlank(lookup.apply(section, "echo")).map(v -> parseBoolean(label + "echo", v)).orElse(false);
        return new DatabaseSettings(url, user, pooling, poolSize, timeout, outage, schema, echo);
    }

    /**
     * Settings for the PostgreSQL database named by its parts, without a JDBC URL (Python Astra's
     * {@code connect_from_parameters}): {@code dbname} (required), {@code host} (default
     * {@code localhost}), {@code port} (5432) and {@code user}; the rest at their defaults.
     *
     * @throws AstraException.BadInput without a dbname, or for a key it does not know
     */
    public static DatabaseSettings fromParameters(java.util.Map<String, ?> parameters) {
        for (String key : parameters.keySet()) {
            if (!java.util.Set.of("dbname", "host", "port", "user").contains(key)) {
                throw new AstraException.BadInput("unknown connection parameter '" + key
                        + "': use dbname, host, port and user (passwords come from ~/.pgpass)");
            }
        }
        Object dbname = parameters.get("dbname");
        if (dbname == null || dbname.toString().isBlank()) {
            throw new AstraException.BadInput("connection parameters need a dbname");
        }
        Object port = parameters.get("port");
        return of(POSTGRES_PREFIX + "//localhost:5432/" + dbname, null).withParameters(null,
                parameters.get("user") == null ? null : parameters.get("user").toString(),
                parameters.get("host") == null ? null : parameters.get("host").toString(),
                port == null ? null : parseInt("port", port.toString()));
    }

    /**
     * A copy on another database, host, port or user, each kept when null (Python Astra's
     * {@code connect(dbname, user, host, port)} over a profile).
     *
     * @throws AstraException.BadInput on SQLite, or for a URL whose host and database it cannot tell
     */
    public DatabaseSettings withParameters(String dbname, String user, String host, Integer port) {
        Matcher m = POSTGRES_PARTS.matcher(url);
        if (isSqlite() || !m.matches()) {
            throw new AstraException.BadInput("cannot set the database, host or port of " + describe()
                    + ": they need a jdbc:postgresql://host[:port]/db URL");
        }
        String next = POSTGRES_PREFIX + "//" + (host == null ? m.group(1) : host)
                + (port != null ? ":" + port : m.group(2) == null ? "" : ":" + m.group(2))
                + "/" + (dbname == null ? m.group(3) : dbname) + (m.group(4) == null ? "" : m.group(4));
        DatabaseSettings moved = new DatabaseSettings(next, this.user, usePooling, poolSize, connectTimeout,
                outageTimeout, schema, echo);
        return user == null ? moved : moved.withUser(user);
    }

    /** POSTGRES or SQLITE, from the URL. */
    public SQLDialect dialect() {
        return url.startsWith(SQLITE_PREFIX) ? SQLDialect.SQLITE : SQLDialect.POSTGRES;
    }

    /** Whether this is the SQLite kind (the embedded default, or a {@code jdbc:sqlite:} URL). */
    public boolean isSqlite() {
        return dialect() == SQLDialect.SQLITE;
    }

    /** A copy with another pooling choice. */
    public DatabaseSettings withPooling(boolean pooling) {
        return new DatabaseSettings(url, user, pooling, poolSize, connectTimeout, outageTimeout, schema, echo);
    }

    /** A copy that keeps Astra's tables in the PostgreSQL schema {@code name}. */
    public DatabaseSettings withSchema(String name) {
        return new DatabaseSettings(url, user, usePooling, poolSize, connectTimeout, outageTimeout, name, echo);
    }

    /** A copy that logs every SQL statement ({@code echo}), or stops. */
    public DatabaseSettings withEcho(boolean on) {
        return new DatabaseSettings(url, user, usePooling, poolSize, connectTimeout, outageTimeout, schema, on);
    }

    /** A copy with another pool size. */
    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(url, user, usePooling, size, connectTimeout, outageTimeout, schema, echo);
    }

    /** A copy with another outage timeout. */
    public DatabaseSettings withOutageTimeout(Duration timeout) {
        return new DatabaseSettings(url, user, usePooling, poolSize, connectTimeout, timeout, schema, echo);
    }

    /** A copy with another connect timeout. */
    public DatabaseSettings withConnectTimeout(Duration timeout) {
        return new DatabaseSettings(url, user, usePooling, poolSize, timeout, outageTimeout, schema, echo);
    }

    /**
     * A copy that connects as {@code user}: any {@code user=} parameter leaves the URL, since
     * the driver lets the URL's win over the user it is given.
     */
    public DatabaseSettings withUser(String user) {
        return new DatabaseSettings(withUrlParameter(url, "user", null), user, usePooling, poolSize, connectTimeout,
                outageTimeout, schema, echo);
    }

    /** A copy whose URL has the parameter {@code name} set to {@code value}, or removed when {@code value} is null. */
    public DatabaseSettings withUrlParameter(String name, String value) {
        return new DatabaseSettings(withUrlParameter(url, name, value), user, usePooling, poolSize, connectTimeout,
                outageTimeout, schema, echo);
    }

    /** The value of the URL's parameter {@code name}, if it has one. */
    public Optional<String> urlParameter(String name) {
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(url);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String withUrlParameter(String url, String name, String value) {
        String cleaned = url.replaceAll("([?&])" + Pattern.quote(name) + "=[^&]*&?", "$1").replaceAll("[?&]$", "");
        if (value == null) {
            return cleaned;
        }
        return cleaned + (cleaned.contains("?") ? "&" : "?") + name + "=" + value;
    }

    /** The user given here, else the URL's {@code user=} parameter; empty when the driver picks. */
    public Optional<String> effectiveUser() {
        if (user != null) {
            return Optional.of(user);
        }
        Matcher m = USER_PARAM.matcher(url);
        return m.find() && !m.group(1).isEmpty() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The URL with any password replaced by {@code ***}, and the user: safe to print. */
    /** The file of a SQLite database (absolute), if these settings name one; empty for PostgreSQL and {@code :memory:}. */
    public Optional<Path> sqliteFile() {
        return isSqlite() ? Connections.sqliteFile(url).map(Path::toAbsolutePath) : Optional.empty();
    }

    public String describe() {
        return maskPassword(url) + (isSqlite() ? "" : effectiveUser().map(u -> " as " + u).orElse(""));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + maskPassword(url) + ", user=" + user + ", usePooling=" + usePooling
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", outageTimeout=" + outageTimeout
                + ", schema=" + schema + ", echo=" + echo + "]";
    }

    /** Replaces the values of {@code password=} parameters and of {@code user:password@} with {@code ***}. */
    public static String maskPassword(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(text).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }

    static void checkUrl(String url, String source) {
        if (!url.startsWith(POSTGRES_PREFIX) && !url.startsWith(SQLITE_PREFIX)) {
            throw new AstraException.BadConfig(source + " '" + maskPassword(url) + "' is not supported:"
                    + " use jdbc:postgresql://host/db or jdbc:sqlite:path");
        }
        if (url.startsWith(SQLITE_PREFIX) && url.length() == SQLITE_PREFIX.length()) {
            throw new AstraException.BadConfig(source + " '" + url + "' names no file: use jdbc:sqlite:path");
        }
    }

    private static void checkSchema(String schema, String source) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new AstraException.BadConfig(source + " '" + schema + "' is not a schema name Astra uses:"
                    + " lower-case letters, digits and _, starting with a letter or _, at most 63 characters");
        }
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new AstraException.BadConfig(key + " '" + value + "' is not a whole number");
        }
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new AstraException.BadConfig(
                    key + " '" + value + "' is not a boolean: use true or false");
        };
    }

    /** Whole seconds ({@code 10}), {@code 10s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    static Duration parseTimeout(String value) {
        return parseTimeout("[database] connect_timeout", value);
    }

    private static Duration parseTimeout(String key, String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new AstraException.BadConfig(key + " '" + value
                    + "' is not a duration: use seconds (10), or 10s, 500ms, 2m, PT10S");
        }
    }
}
