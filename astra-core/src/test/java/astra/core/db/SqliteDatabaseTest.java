package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.testing.DatabaseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest extends DatabaseContract {

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }

    @Test
    void openCreatesTheDirectoryOfTheFile(@TempDir Path dir) throws Exception {
        DatabaseSettings settings = DatabaseSettings.embeddedDefault(dir);

        try (Database database = Database.open(settings)) {
            assertThat(dir.resolve(".astra/astra.db")).isRegularFile();
            // Private whatever the umask: the file holds every task's parameters and errors.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".astra"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".astra/astra.db"))))
                    .isEqualTo("rw-------");
            assertThat(database.store().hasWorkLeft(1)).isFalse();
            assertThat(database.dsl().fetchValue("pragma journal_mode")).isEqualTo("wal");
            assertThat(database.dsl().fetchValue("pragma foreign_keys")).isEqualTo(1);
            assertThat(database.dsl().fetchValue("pragma busy_timeout")).isEqualTo(Connections.SQLITE_BUSY_TIMEOUT_MS);
        }
    }

    /** A truncated file is refused, not taken for a new database, and left as it is. */
    @Test
    void anEmptyFileIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
        Path file = Files.createDirectories(dir.resolve(".astra")).resolve("astra.db");
        Files.createFile(file);

        assertThatThrownBy(() -> Database.open(DatabaseSettings.embeddedDefault(dir)))
                .isInstanceOf(AstraException.DatabaseUnavailable.class)
                .hasMessageContaining(file + " is empty (0 bytes)")
                .hasMessageContaining("delete it to start again");
        assertThat(file).isEmptyFile();
        assertThat(dir.resolve(".astra").toFile().list()).containsOnly("astra.db", "astra.db.migrate-lock");
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithWhatToDoAndLeftAlone(@TempDir Path dir) throws Exception {
        Path file = Files.createDirectories(dir.resolve(".astra")).resolve("astra.db");
        byte[] garbage = new byte[8192];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> Database.open(DatabaseSettings.embeddedDefault(dir)))
                .isInstanceOf(AstraException.DatabaseUnavailable.class)
                .hasMessage(file + " is not a usable SQLite database (damaged, or another kind of file): move it aside"
                        + " (keep it for a recovery with sqlite3's .recover) and run again; a new database starts empty:"
                        + " tasks whose outputs exist are complete, the others run again");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    /** Two processes opening a database that does not exist yet: neither sees it empty. */
    @Test
    void aNewFileIsNeverSeenEmpty(@TempDir Path dir) throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> opens = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opens.add(threads.submit(() -> {
                    try (Database database = Database.open(DatabaseSettings.embeddedDefault(dir))) {
                        return !database.store().hasWorkLeft(1);
                    }
                }));
            }
            for (java.util.concurrent.Future<Boolean> open : opens) {
                assertThat(open.get(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFileHasNoConnectionLimits() {
        assertThat(db.open().connectionLimits()).isEmpty();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsUnavailable(@TempDir Path dir) throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "not a directory");
        DatabaseSettings settings = DatabaseSettings.of("jdbc:sqlite:" + blocker.resolve("astra.db"), null);

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(AstraException.DatabaseUnavailable.class)
                .hasMessageStartingWith("cannot create the directory " + blocker);
    }
}
