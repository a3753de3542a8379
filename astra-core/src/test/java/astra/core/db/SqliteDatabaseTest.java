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
