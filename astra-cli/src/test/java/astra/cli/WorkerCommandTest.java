package astra.cli;

import static astra.cli.Cli.astra;
import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.Cli.Result;
import astra.core.db.Database;
import astra.core.store.RunInfo;
import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astra worker} in this JVM: what it refuses, with exit code 2 and a message saying what to
 * do, and a few runs it serves (on PostgreSQL, the only database it works with; those tests are
 * skipped without one, as the database contracts are).
 */
class WorkerCommandTest {

    @TempDir
    Path dir;

    Path emptyConfig() throws IOException {
        Path cfg = dir.resolve("empty.cfg");
        if (!Files.exists(cfg)) {
            Files.writeString(cfg, "# nothing\n");
        }
        return cfg;
    }

    /** {@code astra worker} with these arguments on the test's schema ({@code [database] url} and {@code schema}). */
    Result worker(PostgresSchema schema, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("worker"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", schema.writeConfig(dir.resolve("pg.cfg"), "").toString()));
        return astra(all);
    }

    /** {@code astra worker} with these arguments and an empty config file. */
    Result worker(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("worker"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", emptyConfig().toString()));
        return astra(all);
    }

    @Test
    void onTheDefaultSqliteDatabaseItExitsTwoAskingForPostgres() throws Exception {
        Path embedded = Path.of(".astra", "astra.db");
        boolean existedBefore = Files.exists(embedded);

        Result r = worker("--any");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("astra worker needs PostgreSQL").contains("[database] url")
                .contains(".astra").doesNotContain("\tat ");
        if (!existedBefore) {
            assertThat(embedded).as("no database opened").doesNotExist();
        }
    }

    @Test
    void onASqliteFileGivenWithDbItExitsTwoWithoutCreatingIt() throws Exception {
        Path file = dir.resolve("astra.db");

        Result r = worker("--run", "1", "--db", "jdbc:sqlite:" + file);

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("needs PostgreSQL").contains("[database] url").contains(file.toString());
        assertThat(file).doesNotExist();
    }

    @Test
    void exitWhenIdleIsForAnyOnly() throws Exception {
        Result r = worker("--run", "5", "--exit-when-idle", "10s");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--exit-when-idle is for --any").doesNotContain("\tat ");
    }

    @Test
    void exitWhenIdleMustBeADurationAboveZero() throws Exception {
        Result soon = worker("--exit-when-idle", "soon");
        Result zero = worker("--any", "--exit-when-idle", "0s");

        assertThat(soon.code()).as(soon.err()).isEqualTo(2);
        assertThat(soon.err()).contains("--exit-when-idle: 'soon' is not a duration above 0").contains("30s");
        assertThat(zero.code()).as(zero.err()).isEqualTo(2);
        assertThat(zero.err()).contains("'0s' is not a duration above 0");
    }

    @Test
    void optionsThatExcludeEachOtherExitTwo() throws Exception {
        Result both = worker("--run", "5", "--any");
        Result scopes = worker("--families", "Fit", "--except-families", "Load");
        Result notANumber = worker("--run", "latest");
        Result noFamilies = worker("--families");

        assertThat(both.code()).as(both.err()).isEqualTo(2);
        assertThat(both.err()).contains("--run").contains("--any").contains("mutually exclusive");
        assertThat(scopes.code()).as(scopes.err()).isEqualTo(2);
        assertThat(scopes.err()).contains("--families").contains("--except-families");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).contains("'latest'").contains("--run");
        assertThat(noFamilies.code()).isEqualTo(2);
        assertThat(noFamilies.err()).contains("--families");
    }

    @Test
    void helpListsTheOptionsAndSaysPostgres() {
        Result r = astra("worker", "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--any").contains("--run").contains("--workers").contains("--exit-when-idle")
                .contains("--families").contains("--except-families").contains("PostgreSQL");
    }

    @Test
    void astraHelpListsTheWorkerCommand() {
        Result r = astra("--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("(?m)^\\s+worker\\s+\\S");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void onAnEmptyQueueAnyExitsWhenIdle() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            Result r = worker(schema, "--any", "--exit-when-idle", "1s");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).doesNotContain("serving run");
        }
    }

    @Test
    void moreWorkersThanTheServerHasConnectionsForRefuseToStart() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            Result r = worker(schema, "--any", "--workers", "5000", "--exit-when-idle", "1s");

            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("refusing to start: 5000 worker(s)", "the astra worker 2")
                    .doesNotContain("serving run").doesNotContain("\tat ");
        }
    }

    @Test
    void aRunThatIsNotThereExitsTwo() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            Result r = worker(schema, "--run", "999999");

            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("there is no run 999999").doesNotContain("\tat ");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRunThatEndedOrHasNothingLeftHasNothingToServe() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            long ended;
            long empty;
            try (Database db = Database.open(schema.settings())) {
                ended = db.store().startRun(new RunInfo("Root_1", "host", 1, "astra run Root"));
                db.store().finishRun(ended, "SUCCESS");
                empty = db.store().startRun(new RunInfo("Root_2", "host", 2, "astra run Root"));
            }

            Result afterEnd = worker(schema, "--run", Long.toString(ended));
            Result nothingLeft = worker(schema, "--run", Long.toString(empty), "--families", "Fit");

            assertThat(afterEnd.code()).as(afterEnd.err()).isZero();
            assertThat(nothingLeft.code()).as(nothingLeft.err()).isZero();
            assertThat(afterEnd.err() + nothingLeft.err()).doesNotContain("serving run");
        }
    }

    @Test
    void anEmptyFamilyListExitsTwo() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            Result only = worker(schema, "--families", "");
            Result except = worker(schema, "--except-families", " , ");

            assertThat(only.code()).as(only.err()).isEqualTo(2);
            assertThat(only.err()).contains("--families needs at least one family name");
            assertThat(except.code()).as(except.err()).isEqualTo(2);
            assertThat(except.err()).contains("--except-families needs at least one family name");
        }
    }
}
