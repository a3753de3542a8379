package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.store.AstraTables;
import astra.core.store.RunInfo;
import astra.core.testing.DatabaseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real roles: a read-only one that may select but not insert, and an admin one, created for the
 * test (with passwords, in a password file of the test's own) and dropped after it.
 */
class PostgresProfilesTest extends ProfilesContract {

    @TempDir
    Path dir;

    String suffix;
    String reader;
    String admin;
    String dataVersion;
    Database owner;

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }

    @BeforeEach
    void createRoles() throws Exception {
        byte[] random = new byte[5];
        new SecureRandom().nextBytes(random);
        suffix = HexFormat.of().formatHex(random);
        reader = "astra_ro_" + suffix;
        admin = "astra_admin_" + suffix;
        dataVersion = "astra_v_" + suffix;
        owner = db.open();
        String schema = owner.dsl().select(DSL.currentSchema()).fetchOne(0, String.class);
        DSLContext dsl = owner.dsl();
        dsl.execute("create role {0} login password {1}", DSL.name(reader), DSL.inline("ro-" + suffix));
        dsl.execute("create role {0} login password {1}", DSL.name(admin), DSL.inline("admin-" + suffix));
        dsl.execute("grant usage on schema {0} to {1}, {2}", DSL.name(schema), DSL.name(reader), DSL.name(admin));
        dsl.execute("grant select on all tables in schema {0} to {1}", DSL.name(schema), DSL.name(reader));
        dsl.execute("grant select, insert, update, delete on all tables in schema {0} to {1}", DSL.name(schema), DSL.name(admin));
        dsl.execute("grant usage on all sequences in schema {0} to {1}", DSL.name(schema), DSL.name(admin));
        dsl.execute("create schema {0}", DSL.name(dataVersion));
        dsl.execute("create table {0}.spectra (id int)", DSL.name(dataVersion));
        dsl.execute("insert into {0}.spectra values (1), (2), (3)", DSL.name(dataVersion));
        dsl.execute("grant usage on schema {0} to {1}", DSL.name(dataVersion), DSL.name(reader));
        dsl.execute("grant select on all tables in schema {0} to {1}", DSL.name(dataVersion), DSL.name(reader));

        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:" + reader + ":ro-" + suffix + "\n*:*:*:" + admin + ":admin-" + suffix + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        System.setProperty(Pgpass.FILE_PROPERTY, pgpass.toString());
    }

    @AfterEach
    void dropRoles() {
        System.clearProperty(Pgpass.FILE_PROPERTY);
        DSLContext dsl = owner.dsl();
        dsl.execute("drop schema if exists {0} cascade", DSL.name(dataVersion));
        for (String role : new String[] {reader, admin}) {
            dsl.execute("drop owned by {0}", DSL.name(role));
            dsl.execute("drop role if exists {0}", DSL.name(role));
        }
    }

    DatabaseChoice readerProfile() {
        String url = db.settings().url();
        Config config = Config.parse("[database.profile ops]\nurl = " + url + "\nschema = " + db.settings().schema()
                + "\nuser = " + reader + "\nadmin_user = " + admin + "\n", "test.cfg", Map.of());
        return DatabaseProfiles.from(config).choose(config, null, "ops", Map.of(), () -> "h", Path.of(""));
    }

    static String currentUser(Database database) {
        return database.dsl().select(DSL.currentUser()).fetchOne(0, String.class);
    }

    @Test
    void connectMovesToAnotherUserWithoutAUrlAndAFailureKeepsTheConnections() {
        try (Database database = Database.open(readerProfile())) {
            database.connect(null, admin, null, null);
            assertThat(currentUser(database)).isEqualTo(admin);

            assertThatThrownBy(() -> database.connect("no_such_database_here", null, null, null))
                    .isInstanceOf(AstraException.DatabaseUnavailable.class);
            assertThat(currentUser(database)).isEqualTo(admin);
        }
    }

    @Test
    void theProfilesUserReadsButCannotWriteAndTheAdminCan() {
        try (Database database = Database.open(readerProfile())) {
            assertThat(currentUser(database)).isEqualTo(reader);
            assertThat(Connections.password(database.settings(), Pgpass.system())).contains("ro-" + suffix);
            assertThat(database.dsl().fetchCount(AstraTables.Run.TABLE)).isZero();
            assertThatThrownBy(() -> database.store().startRun(new RunInfo("R", "h", 1, "c")))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("permission denied");

            database.becomeAdmin();

            assertThat(currentUser(database)).isEqualTo(admin);
            assertThat(database.store().startRun(new RunInfo("R", "h", 1, "c"))).isPositive();

            database.becomeUser();

            assertThat(currentUser(database)).isEqualTo(reader);
            assertThat(database.dsl().fetchCount(AstraTables.Run.TABLE)).isEqualTo(1);
            assertThat(database.toString()).doesNotContain("ro-" + suffix);
        }
    }

    @Test
    void becomingARoleThatDoesNotExistKeepsTheCurrentConnections() {
        try (Database database = Database.open(readerProfile())) {
            assertThatThrownBy(() -> database.become("astra_nobody_" + suffix))
                    .isInstanceOf(AstraException.DatabaseUnavailable.class)
                    .hasMessageContaining("astra_nobody_" + suffix);

            assertThat(currentUser(database)).isEqualTo(reader);
        }
    }

    @Test
    void changeVersionPutsTheVersionsSchemaFirstAndKeepsAstrasTablesReachable() {
        try (Database database = Database.open(readerProfile())) {
            database.changeVersion(dataVersion);

            assertThat(database.version()).contains(dataVersion);
            assertThat(database.dsl().fetchCount(DSL.table(DSL.name("spectra")))).isEqualTo(3);
            assertThat(database.dsl().fetchCount(AstraTables.Run.TABLE)).isZero();
            database.becomeAdmin();
            assertThat(database.settings().url()).contains("currentSchema=" + dataVersion + ",");

            database.changeVersion(null);
            database.becomeUser();
            assertThatThrownBy(() -> database.dsl().fetchCount(DSL.table(DSL.name("spectra"))))
                    .isInstanceOf(DataAccessException.class);
        }
    }

    @Test
    void aVersionWithoutASchemaIsRefusedAndNothingChanges() {
        try (Database database = Database.open(readerProfile())) {
            assertThatThrownBy(() -> database.changeVersion("astra_none_" + suffix))
                    .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("there is no schema 'astra_none_");
            assertThatThrownBy(() -> database.changeVersion("dr17; drop table x"))
                    .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("is not a schema name");

            assertThat(database.version()).isEmpty();
            assertThat(database.dsl().fetchCount(AstraTables.Run.TABLE)).isZero();
        }
    }

    @Test
    void aWorldReadablePasswordFileIsRefused() throws Exception {
        Files.setPosixFilePermissions(dir.resolve("pgpass"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Database.open(readerProfile()))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageContaining("has group or world access; permissions should be u=rw (0600) or less");
    }
}
