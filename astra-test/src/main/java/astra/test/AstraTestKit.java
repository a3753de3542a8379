package astra.test;

import astra.core.Task;
import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import astra.core.testing.DatabaseExtension;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test kit for a pipeline's tests (what {@code luigi.build} and {@code MockTarget} are to
 * Luigi's): a JUnit 5 extension that gives each test a fresh Astra database and a directory of its
 * own, and runs tasks on them as {@code astra run} would.
 *
 * <pre>{@code
 * class HelloTest {
 *     @RegisterExtension
 *     final AstraTestKit astra = AstraTestKit.sqlite();
 *
 *     @Test
 *     void helloRuns() {
 *         Hello hello = new Hello("world", astra.directory());
 *         RunResult run = astra.build(hello);
 *
 *         assertEquals(RunOutcome.SUCCESS, run.outcome(), run.render());
 *         assertEquals(TaskState.DONE, run.task(hello).state());
 *     }
 *
 *     @Test
 *     void onTwoChildProcessesWithRetries() {
 *         RunResult run = astra.runner().childProcesses().workers(2).retries(1).build(new Hello("you", astra.directory()));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The database: {@link #sqlite()}, a SQLite file in a new temporary directory; or
 * {@link #postgres()}, a new schema of its own in the PostgreSQL named by
 * {@code $ASTRA_TEST_PG_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres};
 * the user must be allowed to create schemas), else in a Testcontainers PostgreSQL when Docker
 * runs, else the test is skipped with the reason (or fails, when {@code $ASTRA_TEST_REQUIRE_PG=1},
 * so that CI cannot pass by skipping). After each test the database is closed and the file or
 * schema, and the test's directory, are removed.
 *
 * <p>Tasks that use the default {@code complete()} (their outputs exist) should write their files
 * under {@link #directory()}, so that each test starts with nothing complete.
 */
public final class AstraTestKit implements BeforeEachCallback, AfterEachCallback {

    private final DatabaseExtension databases;
    private Database database;

    private AstraTestKit(DatabaseExtension databases) {
        this.databases = databases;
    }

    /** A SQLite file per test, in a temporary directory: needs nothing installed. */
    public static AstraTestKit sqlite() {
        return new AstraTestKit(DatabaseExtension.sqlite());
    }

    /** A PostgreSQL schema per test; skipped (or failed with {@code ASTRA_TEST_REQUIRE_PG=1}) when there is no PostgreSQL. */
    public static AstraTestKit postgres() {
        return new AstraTestKit(DatabaseExtension.postgres());
    }

    /** Whether this kit's databases are PostgreSQL. */
    public boolean isPostgres() {
        return databases.isPostgres();
    }

    /** The test's database settings: its URL and the schema of Astra's tables ({@code [database] schema}). */
    public DatabaseSettings settings() {
        return databases.settings();
    }

    /**
     * The test's database, opened (and Astra's tables created) the first time it is asked for, and
     * closed after the test. It is also {@code Database.current()} in this JVM, for tasks whose own
     * {@code complete()} asks their tables.
     */
    public synchronized Database database() {
        if (database == null) {
            database = databases.open();
        }
        return database;
    }

    /** A new directory of this test's own, removed after it: for your tasks' outputs (on SQLite the database file is in it too). */
    public Path directory() {
        return databases.directory();
    }

    /** Where the runs of this test write each attempt's log: {@code directory()/.astra-logs}. */
    public Path logDir() {
        return directory().resolve(".astra-logs");
    }

    /** A runner on this test's database: one worker thread, no retries; its settings return new runners. */
    public TaskRunner runner() {
        return TaskRunner.on(database(), logDir());
    }

    /** Runs the roots and everything they need that is not complete on one worker thread: {@code runner().build(roots)}. */
    public RunResult build(Task... roots) {
        return runner().build(roots);
    }

    /**
     * The {@code [database]} section that points {@code astra} (the command) at this test's
     * database: its URL and, on PostgreSQL, the schema of Astra's tables. Write it into a
     * {@code utah.cfg} to run the CLI against what the test ran.
     */
    public String configSection() {
        DatabaseSettings s = settings();
        return "[database]\nurl = " + s.url() + "\nschema = " + s.schema() + "\n";
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        databases.beforeEach(context);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        database = null;
        databases.afterEach(context);
    }
}
