package astra.core.testing;

import astra.core.db.DatabaseSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Databases for tests: a SQLite file in a directory, or a fresh PostgreSQL schema.
 *
 * <p>PostgreSQL comes from {@code $ASTRA_TEST_PG_URL} (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), else from a Testcontainers
 * container when Docker is available; else the test is skipped, or fails when
 * {@code $ASTRA_TEST_REQUIRE_PG=1} (so CI cannot pass by skipping).
 *
 * <p>For JUnit 5 tests, {@link DatabaseExtension} does the set-up and clean-up.
 */
public final class TestDatabases {

    /** The PostgreSQL to test against; its database must exist and the user may create schemas. */
    public static final String PG_URL_ENV = "ASTRA_TEST_PG_URL";
    /** Set to 1 to fail, rather than skip, tests that need PostgreSQL when there is none. */
    public static final String REQUIRE_PG_ENV = "ASTRA_TEST_REQUIRE_PG";

    static final String SKIP_REASON = "PostgreSQL tests skipped: set " + PG_URL_ENV
            + "=jdbc:postgresql://... (or run Docker for Testcontainers)";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabases() {}

    /** Settings for the SQLite file {@code <dir>/astra-test.db}, pooled, with the default pool size. */
    public static DatabaseSettings sqlite(Path dir) {
        return DatabaseSettings.of("jdbc:sqlite:" + dir.toAbsolutePath().resolve("astra-test.db"), null);
    }

    /**
     * A new, empty schema of its own in the test PostgreSQL; its settings put Astra's tables
     * there ({@code [database] schema}) and make it the connections' current schema, for the
     * test's own tables. Close it to drop the schema.
     */
    public static PostgresSchema postgres() {
        String baseUrl = postgresUrl();
        String schema = "astra_t_" + HexFormat.of().formatHex(randomBytes());
        execute(baseUrl, "create schema " + schema);
        return new PostgresSchema(schema, baseUrl,
                DatabaseSettings.of(withCurrentSchema(baseUrl, schema), null).withSchema(schema));
    }

    /** A new, empty database of its own in the test PostgreSQL (the user must be allowed to create one). */
    public static PostgresDatabase postgresDatabase() {
        String baseUrl = postgresUrl();
        String name = "astra_d_" + HexFormat.of().formatHex(randomBytes());
        execute(baseUrl, "create database " + name);
        return new PostgresDatabase(name, baseUrl, baseUrl.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + name));
    }

    private static final java.util.concurrent.atomic.AtomicBoolean skipAnnounced =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether PostgreSQL tests can run here, without starting anything. */
    public static boolean postgresConfigured() {
        String url = System.getenv(PG_URL_ENV);
        return url != null && !url.isBlank();
    }

    /** The base URL (no schema chosen): the environment's, or a started container's; else skip or fail. */
    static String postgresUrl() {
        String url = System.getenv(PG_URL_ENV);
        if (url != null && !url.isBlank()) {
            return url.strip();
        }
        if (ContainerPostgres.usable()) {
            return ContainerPostgres.url();
        }
        if ("1".equals(System.getenv(REQUIRE_PG_ENV))) {
            return Assertions.fail(SKIP_REASON.replace("tests skipped", "tests required (" + REQUIRE_PG_ENV + "=1)"));
        }
        if (!skipAnnounced.getAndSet(true)) {
            // Surefire keeps the reasons of skipped tests in its reports; say it once where people look.
            System.err.println("[astra] " + SKIP_REASON);
        }
        Assumptions.abort(SKIP_REASON);
        throw new IllegalStateException("unreachable");
    }

    static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL " + DatabaseSettings.maskPassword(url)
                    + " refused `" + sql + "`: " + e.getMessage(), e);
        }
    }

    /** The URL with {@code currentSchema} set, replacing any the URL had. */
    static String withCurrentSchema(String url, String schema) {
        String cleaned = url.replaceAll("([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return cleaned + (cleaned.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Testcontainers, touched only when the environment names no PostgreSQL. */
    private static final class ContainerPostgres {
        private static Boolean usable;
        private static String url;

        static synchronized boolean usable() {
            if (usable == null) {
                usable = classPresent("org.testcontainers.DockerClientFactory") && DockerCheck.available();
            }
            return usable;
        }

        static synchronized String url() {
            if (url == null) {
                url = DockerCheck.startContainer();
            }
            return url;
        }

        private static boolean classPresent(String name) {
            try {
                Class.forName(name, false, TestDatabases.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
    }

    /** The only class that links against Testcontainers, so modules without it still load the rest. */
    private static final class DockerCheck {
        static boolean available() {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        }

        @SuppressWarnings("resource") // Testcontainers' Ryuk removes the container when the JVM exits.
        static String startContainer() {
            var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + container.getUsername() + "&password=" + container.getPassword();
        }
    }
}
