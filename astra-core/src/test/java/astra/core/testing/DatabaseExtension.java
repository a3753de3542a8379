package astra.core.testing;

import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database for each test: a SQLite file in a new temporary directory, or a new
 * PostgreSQL schema (see {@link TestDatabases} for where PostgreSQL comes from, and when the
 * test is skipped). After the test, every {@link Database} opened through it is closed and the
 * file or schema, and the test's {@link #directory()}, are removed.
 *
 * <pre>{@code
 * @RegisterExtension final DatabaseExtension db = DatabaseExtension.postgres();
 *
 * @Test void runs() {
 *     Database database = db.open();
 *     ...
 * }
 * }</pre>
 */
public final class DatabaseExtension implements BeforeEachCallback, AfterEachCallback {

    private final boolean postgres;
    private final Deque<Database> opened = new ArrayDeque<>();
    private DatabaseSettings settings;
    private PostgresSchema schema;
    private Path directory;

    private DatabaseExtension(boolean postgres) {
        this.postgres = postgres;
    }

    public static DatabaseExtension sqlite() {
        return new DatabaseExtension(false);
    }

    public static DatabaseExtension postgres() {
        return new DatabaseExtension(true);
    }

    /** Whether this is the PostgreSQL kind. */
    public boolean isPostgres() {
        return postgres;
    }

    /** This test's database settings (pooled, default pool size). */
    public DatabaseSettings settings() {
        if (settings == null) {
            throw new IllegalStateException("the test database exists only while a test runs");
        }
        return settings;
    }

    /** Opens this test's database with the system clock; closed after the test. */
    public Database open() {
        return open(settings(), Clock.systemUTC());
    }

    /** Opens this test's database with the given clock; closed after the test. */
    public Database open(Clock clock) {
        return open(settings(), clock);
    }

    /** Opens a database with other settings (for instance {@code settings().withPooling(false)}); closed after the test. */
    public synchronized Database open(DatabaseSettings other, Clock clock) {
        Database database = Database.open(other, clock);
        opened.push(database);
        return database;
    }

    /** A new, empty directory of this test's own (on SQLite, the database file is in it); removed after the test. */
    public Path directory() {
        if (directory == null) {
            throw new IllegalStateException("the test directory exists only while a test runs");
        }
        return directory;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("astra-test-");
        if (postgres) {
            schema = TestDatabases.postgres();
            settings = schema.settings();
        } else {
            settings = TestDatabases.sqlite(directory);
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
        settings = null;
        if (schema != null) {
            schema.close();
            schema = null;
        }
        if (directory != null) {
            deleteRecursively(directory);
            directory = null;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
