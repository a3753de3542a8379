package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.db.Pgpass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code astra db migrate | check | info | profiles}: what the user reads and the exit codes. */
class DbCommandTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    @AfterEach
    void forgetThePasswordFile() {
        System.clearProperty(Pgpass.FILE_PROPERTY);
    }

    Result astra(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Two profiles: "a" on a SQLite file here, "pg" on a PostgreSQL server with a reader and an admin. */
    Path config() throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, "[database.profile a]\nurl = jdbc:sqlite:" + dir.resolve("a.db") + "\npool_size = 3\n\n"
                + "[database.profile pg]\nurl = jdbc:postgresql://db.example.org:5432/astra\nuser = reader\n"
                + "admin_user = writer\ndomain = *.example.org\n");
        return cfg;
    }

    Path pgpass(String permissions) throws Exception {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, "db.example.org:5432:astra:reader:s3cret-pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        System.setProperty(Pgpass.FILE_PROPERTY, file.toString());
        return file;
    }

    @Test
    void tablesListsTheFilesTablesWithTheirColumnsAndMarksAstras() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("t.db");
        assertThat(astra("db", "migrate", "--config", config().toString(), "--db", db).code()).isZero();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db)) {
            c.createStatement().execute("create table spectra (spectrum_id bigint primary key, snr real)");
        }

        Result r = astra("db", "tables", "--config", config().toString(), "--db", db);
        Result other = astra("db", "tables", "catalogdb", "--config", config().toString(), "--db", db);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("the SQLite file " + dir.resolve("t.db") + ": 10 table(s):")
                .containsPattern("(?m)^  spectra +2 column\\(s\\): spectrum_id bigint, snr real$")
                .containsPattern("(?m)^  astra_run +\\(Astra's\\) 9 column\\(s\\): run_id ");
        assertThat(other.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(other.err()).isEqualTo("astra: a SQLite file has one schema, main, holding every table:"
                + " 'astra db tables' lists them\n");
    }

    @Test
    void tablesOfASchemaThatIsNotThereExitsTwo() throws Exception {
        try (astra.core.testing.PostgresSchema schema = astra.core.testing.TestDatabases.postgres()) {
            Path cfg = schema.writeConfig(dir.resolve("pg.cfg"), "");
            Result none = astra("db", "tables", "no_such_schema", "--config", cfg.toString());
            Result own = astra("db", "tables", "--config", cfg.toString());

            assertThat(none.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(none.err()).startsWith("astra: there is no schema no_such_schema in jdbc:postgresql:")
                    .doesNotContain("\tat ");
            assertThat(own.code()).as(own.err()).isZero();
            assertThat(own.out()).startsWith("schema " + schema.name() + ": 0 table(s)");
        }
    }

    @Test
    void dbHelpShowsItsCommandsAndDbAloneIsAskedForOne() {
        Result help = astra("db", "--help");
        Result alone = astra("db");

        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: astra db").contains("migrate").contains("profiles");
        assertThat(alone.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(alone.err()).contains("Usage: astra db");
    }

    @Test
    void infoShowsTheSchemaVersionWithoutCreatingADatabase() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("info.db");

        Result none = astra("db", "info", "--config", config().toString(), "--db", db);
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).contains("schema version:    none yet (no database file): the first run creates it\n");
        assertThat(dir.resolve("info.db")).doesNotExist();

        assertThat(astra("db", "migrate", "--config", config().toString(), "--db", db).code()).isZero();
        Result migrated = astra("db", "info", "--config", config().toString(), "--db", db);
        assertThat(migrated.out()).containsPattern("schema version:    \\d+ \\(latest\\)\n");

        Result away = astra("db", "info", "--db", "jdbc:postgresql://127.0.0.1:1/astra?user=me");
        assertThat(away.code()).as(away.err()).isZero();
        assertThat(away.out()).contains("schema version:    unknown: the database cannot be reached ('astra db check' says why)");
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAgainstAndNeverPrinted() {
        Result r = astra("db", "info", "--db", "jdbc:postgresql://db.example.org/astra?user=me&password=hunter2");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("astra: warning: --db carries a password").contains("~/.pgpass");
        assertThat(r.out() + r.err()).doesNotContain("hunter2");
    }

    @Test
    void profilesListsEveryProfileAndMarksTheOneInUse() throws Exception {
        Result r = astra("db", "profiles", "--config", config().toString(), "--profile", "pg");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("  a   jdbc:sqlite:" + dir.resolve("a.db"))
                .contains("* pg  jdbc:postgresql://db.example.org:5432/astra as reader, admin writer, domain *.example.org")
                .contains("in use: profile pg (--profile)");
    }

    @Test
    void profilesWithoutAnySaysHowToDefineThem() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.cfg"), "# nothing\n");

        Result r = astra("db", "profiles", "--config", empty.toString(), "--db", "jdbc:sqlite:" + dir.resolve("x.db"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no profiles in").contains("in use: --db");
    }

    @Test
    void infoShowsTheProfileAndMasksThePassword() throws Exception {
        Path file = pgpass("rw-------");

        Result r = astra("db", "info", "--config", config().toString(), "--profile", "pg");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("profile:           pg (--profile)")
                .contains("user:              reader").contains("admin_user:        writer")
                .contains("password:          ******** (from " + file + ")")
                .contains("domain:            *.example.org")
                .doesNotContain("s3cret-pw");
    }

    @Test
    void aWorldReadablePasswordFileExitsTwoWithLibpqsMessage() throws Exception {
        Path file = pgpass("rw-r--r--");

        Result r = astra("db", "info", "--config", config().toString(), "--profile", "pg");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("astra: password file " + file + " has group or world access; permissions should"
                + " be u=rw (0600) or less (chmod 600 " + file + ")\n");
    }

    @Test
    void anUnknownProfileExitsTwoWithDidYouMean() throws Exception {
        Result r = astra("db", "check", "--config", config().toString(), "--profile", "pgg");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown database profile 'pgg' (from --profile)").contains("did you mean 'pg'")
                .doesNotContain("\tat ");
    }

    @Test
    void migrateThenCheckOnTheChosenProfile() throws Exception {
        Path cfg = config();

        Result migrated = astra("db", "migrate", "--config", cfg.toString(), "--profile", "a");
        Result again = astra("db", "migrate", "--config", cfg.toString(), "--profile", "a");
        Result check = astra("db", "check", "--config", cfg.toString(), "--profile", "a", "--workers", "5");

        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("(was empty)");
        assertThat(again.out()).contains("(already up to date)");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("(profile a, from --profile)").contains("connection:        ok")
                .contains("(latest)").contains("no limit (SQLite has no server)")
                .contains("connection budget: 13 (scheduler 3 + 5 worker(s) holding 10)").contains("the budget fits");
    }

    @Test
    void checkOnAnUnreachableDatabaseExitsSix() throws Exception {
        Result r = astra("db", "check", "--config", config().toString(),
                "--db", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");

        assertThat(r.code()).isEqualTo(6);
        assertThat(r.err()).startsWith("astra: cannot connect to jdbc:postgresql://127.0.0.1:1/none").doesNotContain("\tat ");
    }

    @Test
    void checkRefusesABudgetTheServerCannotHoldWithExitTwo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("ASTRA_TEST_PG_URL") != null, "needs PostgreSQL");

        Result r = astra("db", "check", "--config", config().toString(), "--db", System.getenv("ASTRA_TEST_PG_URL"),
                "--workers", "100000");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("connection:        ok").contains("max_connections:   ");
        assertThat(r.err()).contains("100000 worker(s) would hold up to");
    }

    @Test
    void badWorkersAndAMissingSubcommandExitTwo() throws Exception {
        assertThat(astra("db", "check", "--config", config().toString(), "--profile", "a", "--workers", "0").code())
                .isEqualTo(2);
        assertThat(astra("db").code()).isEqualTo(2);
        assertThat(astra("db", "frobnicate").err()).contains("unknown command 'frobnicate'");
    }

    @Test
    void everySubcommandHasHelpWithAnExample() {
        for (String sub : new String[] {"migrate", "check", "info", "profiles"}) {
            Result r = astra("db", sub, "--help");
            assertThat(r.code()).as(sub).isZero();
            assertThat(r.out()).as(sub).contains("--profile").contains("Example:");
        }
    }
}
