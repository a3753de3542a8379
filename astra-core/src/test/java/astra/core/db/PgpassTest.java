package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgpassTest {

    @TempDir
    Path dir;

    Pgpass file(String text, String permissions) throws IOException {
        Path path = dir.resolve("pgpass");
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return Pgpass.locate(path.toString(), Map.of(), dir);
    }

    @Test
    void theSystemPropertyWinsThenPgpassfileThenTheHomeDirectory() {
        assertThat(Pgpass.locate("/a/prop", Map.of("PGPASSFILE", "/b/env"), dir).file()).isEqualTo(Path.of("/a/prop"));
        assertThat(Pgpass.locate(null, Map.of("PGPASSFILE", "/b/env"), dir).file()).isEqualTo(Path.of("/b/env"));
        assertThat(Pgpass.locate(" ", Map.of(), dir).file()).isEqualTo(dir.resolve(".pgpass"));
    }

    @Test
    void findsTheFirstMatchingLineWithWildcardsAndEscapes() throws IOException {
        Pgpass pgpass = file("""
                # comment: db.example.org:5432:astra:reader:nope
                db.example.org:5432:astra:reader:first
                db.example.org:5432:astra:reader:second
                *:5432:*:writer:w\\:ith\\\\colon
                127.0.0.1:*:test:*:local
                """, "rw-------");

        assertThat(pgpass.password("db.example.org", 5432, "astra", "reader")).contains("first");
        assertThat(pgpass.password("anywhere", 5432, "any", "writer")).contains("w:ith\\colon");
        assertThat(pgpass.password("127.0.0.1", 6543, "test", "someone")).contains("local");
        assertThat(pgpass.password("localhost", 6543, "test", "someone")).as("host names match literally").isEmpty();
        assertThat(pgpass.password("db.example.org", 5433, "astra", "reader")).isEmpty();
    }

    @Test
    void aMissingFileHoldsNoPassword() {
        Pgpass pgpass = Pgpass.locate(dir.resolve("none").toString(), Map.of(), dir);

        assertThat(pgpass.exists()).isFalse();
        assertThat(pgpass.password("h", 5432, "d", "u")).isEmpty();
    }

    @Test
    void aFileOnlyItsOwnerMayReadIsAccepted() throws IOException {
        assertThat(file("*:*:*:*:secret\n", "r--------").password("h", 1, "d", "u")).contains("secret");
    }

    @Test
    void aWorldReadableFileIsRefusedAsLibpqDoes() throws IOException {
        Pgpass pgpass = file("*:*:*:*:secret\n", "rw-r--r--");

        assertThatThrownBy(() -> pgpass.password("h", 5432, "d", "u"))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("password file " + pgpass.file() + " has group or world access; permissions should be"
                        + " u=rw (0600) or less (chmod 600 " + pgpass.file() + ")")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aGroupReadableFileIsRefusedToo() throws IOException {
        assertThatThrownBy(() -> file("*:*:*:*:secret\n", "rw-r-----").password("h", 5432, "d", "u"))
                .isInstanceOf(AstraException.BadConfig.class).hasMessageContaining("group or world access");
    }

    @Test
    void aDirectoryIsNotAPasswordFile() {
        assertThatThrownBy(() -> Pgpass.locate(dir.toString(), Map.of(), dir).password("h", 5432, "d", "u"))
                .isInstanceOf(AstraException.BadConfig.class).hasMessageContaining("is not a plain file");
    }

    @Test
    void theDriverGetsThePasswordForTheUrlsHostPortDatabaseAndUser() throws IOException {
        Pgpass pgpass = file("""
                db.example.org:5432:astra:reader:r-secret
                db.example.org:5433:astra:admin:a-secret
                """, "rw-------");

        assertThat(Connections.password(DatabaseSettings.of("jdbc:postgresql://db.example.org/astra", "reader"), pgpass))
                .contains("r-secret");
        assertThat(Connections.password(
                DatabaseSettings.of("jdbc:postgresql://db.example.org:5433/astra?user=admin", null), pgpass))
                .contains("a-secret");
        assertThat(Connections.password(
                DatabaseSettings.of("jdbc:postgresql://db.example.org/astra?user=reader&password=given", null), pgpass))
                .as("the URL's own password is left alone").isEmpty();
        DriverDataSource driver = Connections.driver(
                DatabaseSettings.of("jdbc:postgresql://db.example.org/astra?user=admin", "reader"), pgpass, null);
        assertThat(driver.hasPassword()).isTrue();
    }

    @Test
    void neitherSettingsNorTheirDescriptionShowAPassword() {
        DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://h/db?user=u&password=hunter2", null);

        assertThat(settings.describe()).doesNotContain("hunter2");
        assertThat(settings.toString()).doesNotContain("hunter2");
        assertThat(settings.withUser("v").toString()).doesNotContain("hunter2");
    }

    @Test
    void aServerAskingForAPasswordNoLineGivesIsToldAsTheLineThatIsMissingAndWhere() throws IOException {
        Pgpass pgpass = file("other.example.org:5432:astra:me:pw\n", "rw-------");
        DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://db.example.org:5433/survey", "reader");
        java.sql.SQLException driver = new java.sql.SQLException(
                "The server requested SCRAM-based authentication, but no password was provided by plugin null", "08004");

        assertThat(pgpass.missingPassword(settings, driver)).contains("cannot connect to "
                + settings.describe() + ": the server asks for a password, and " + dir.resolve("pgpass")
                + " has no line for db.example.org:5433:survey:reader:PASSWORD (mode 0600; * matches any field;"
                + " $PGPASSFILE points elsewhere)");
        assertThat(Pgpass.locate(null, Map.of(), dir.resolve("nohome")).missingPassword(settings, driver))
                .get().asString().contains("does not exist; it needs a line db.example.org:5433:survey:reader:PASSWORD");
        assertThat(pgpass.missingPassword(settings, new java.sql.SQLException("Connection refused", "08001")))
                .as("another failure").isEmpty();
    }
}
