package astra.bench;

import astra.core.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server of the benchmarks: through a connection to the {@code --pg} URL's
 * database, it drops and creates the benchmark database for each case, counts that database's
 * connections while a run lasts, and reads its session counter.
 */
final class Postgres {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?");

    private final String adminUrl;
    private final String database;
    private final String benchUrl;

    Postgres(String adminUrl, String database) {
        this.adminUrl = adminUrl;
        this.database = database;
        this.benchUrl = withDatabase(adminUrl, database);
    }

    /** The URL with its database replaced, keeping the server and the parameters. */
    static String withDatabase(String url, String database) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + DatabaseSettings.maskPassword(url));
        }
        return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    }

    /** The URL astra run gets with --db: the benchmark database. */
    String benchUrl() {
        return benchUrl;
    }

    String database() {
        return database;
    }

    String describe() {
        return DatabaseSettings.maskPassword(adminUrl);
    }

    /** Why the server cannot be used, if it cannot: unreachable, or too old for the session counter. */
    Optional<String> unusable() {
        try (Connection c = connect(adminUrl); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("show server_version_num")) {
            r.next();
            int version = Integer.parseInt(r.getString(1));
            if (version < 140000) {
                return Optional.of("PostgreSQL at " + describe() + " is version " + version / 10000
                        + "; the benchmarks need 14 or later (pg_stat_database.sessions)");
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of("PostgreSQL at " + describe() + " is unreachable: " + oneLine(e));
        }
    }

    /** A fresh, empty benchmark database. */
    void recreate() throws SQLException {
        drop();
        try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
            s.execute("create database \"" + database + "\"");
        }
    }

    void drop() throws SQLException {
        try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
            s.execute("drop database if exists \"" + database + "\" with (force)");
        }
    }

    /**
     * Sessions ever opened to the benchmark database ({@code pg_stat_database.sessions}). A
     * backend reports its session when it flushes its statistics (at the latest when it exits),
     * so call this once the run's connections are closed: {@link #awaitNoConnections()}.
     */
    long sessions() throws SQLException {
        try (Connection c = connect(adminUrl);
                PreparedStatement s = c.prepareStatement("select sessions from pg_stat_database where datname = ?")) {
            s.setString(1, database);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /**
     * Waits (at most 10 s) until no client is connected to the benchmark database and the session
     * counter has stopped moving, so that every session of the run is counted.
     */
    void awaitNoConnections() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long previous = -1;
        try (Connection c = connect(adminUrl);
                PreparedStatement count = c.prepareStatement(ConnectionCounter.COUNT);
                PreparedStatement sessions = c.prepareStatement("select sessions from pg_stat_database where datname = ?")) {
            count.setString(1, database);
            sessions.setString(1, database);
            while (System.nanoTime() < deadline) {
                int connected = ConnectionCounter.count(count);
                long now;
                try (ResultSet r = sessions.executeQuery()) {
                    now = r.next() ? r.getLong(1) : 0;
                }
                if (connected == 0 && now == previous) {
                    return;
                }
                previous = now;
                Thread.sleep(100);
            }
        }
    }

    /** Counts, every ~20 ms while a run lasts, the client connections to the benchmark database. */
    ConnectionCounter counter() {
        return new ConnectionCounter(this);
    }

    Connection connectAdmin() throws SQLException {
        return connect(adminUrl);
    }

    Connection connectBench() throws SQLException {
        return connect(benchUrl);
    }

    /**
     * A connection to the benchmark database whose unqualified names find Astra's tables: in the
     * schema {@code astra} (the default {@code [database] schema}), or in {@code public}, where
     * builds before it kept them.
     */
    Connection connectAstraState() throws SQLException {
        Properties props = properties();
        props.setProperty("options", "-c search_path=astra,public");
        return DriverManager.getConnection(benchUrl, props);
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, properties());
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "astra-bench");
        return props;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return DatabaseSettings.maskPassword(message.strip().replaceAll("\\s*\\n\\s*", " "));
    }

    /**
     * The peak number of client connections to the benchmark database while a run lasts, and
     * which backends it saw (a backend that lives less than a poll interval can be missed).
     */
    static final class ConnectionCounter implements AstraRun.Watcher {
        /** Client backends only: autovacuum workers on the database are not the run's. */
        static final String COUNT = "select count(*) from pg_stat_activity where datname = ? and backend_type = 'client backend'";
        private static final String LIST = "select pid, backend_start, application_name from pg_stat_activity"
                + " where datname = ? and backend_type = 'client backend'";

        private final Postgres server;
        private final Map<String, String> seen = new ConcurrentHashMap<>();
        private volatile boolean stopped;
        private volatile int peak = -1;
        private volatile String error;
        private Thread thread;

        ConnectionCounter(Postgres server) {
            this.server = server;
        }

        @Override
        public void start() {
            stopped = false;
            thread = new Thread(this::poll, "bench-pg-connections");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void stop() {
            stopped = true;
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The peak, or -1 if the counter could not count. */
        int peak() {
            return peak;
        }

        Optional<String> error() {
            return Optional.ofNullable(error);
        }

        /** How many backends were seen. */
        int seenCount() {
            return seen.size();
        }

        /** The backends seen, by application name: "astra 8, (none) 1". */
        String backendsSeen() {
            Map<String, Long> byName = new TreeMap<>();
            seen.values().forEach(name -> byName.merge(name.isEmpty() ? "(no name)" : name, 1L, Long::sum));
            return seen.size() + " (" + String.join(", ", byName.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList()) + ")";
        }

        private void poll() {
            try (Connection c = server.connectAdmin(); PreparedStatement s = c.prepareStatement(LIST)) {
                s.setString(1, server.database());
                peak = 0;
                while (!stopped) {
                    int now = 0;
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            now++;
                            // A backend still authenticating shows no application name yet: keep the name seen later.
                            String name = r.getString(3) == null ? "" : r.getString(3);
                            seen.merge(r.getInt(1) + "@" + r.getString(2), name, (was, later) -> later.isEmpty() ? was : later);
                        }
                    }
                    peak = Math.max(peak, now);
                    Thread.sleep(AstraRun.POLL_MILLIS);
                }
            } catch (SQLException e) {
                error = oneLine(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static int count(PreparedStatement s) throws SQLException {
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** A plain connection to {@code url} whose search path is {@code schema} (none: the default). */
    static Connection connectTo(String url, String schema) throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "astra-bench");
        if (schema != null) {
            props.setProperty("options", "-c search_path=" + schema);
        }
        return DriverManager.getConnection(url, props);
    }

    static long one(Statement st, String sql) throws SQLException {
        try (ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String text(Statement st, String sql) throws SQLException {
        try (ResultSet r = st.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
