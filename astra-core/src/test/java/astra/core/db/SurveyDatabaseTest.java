package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import astra.core.store.AstraTables;
import astra.core.store.Plans;
import astra.core.store.RunInfo;
import astra.core.store.TaskState;
import astra.core.testing.PostgresDatabase;
import astra.core.testing.TestDatabases;
import java.sql.Connection;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Astra in a survey's PostgreSQL database: one that already holds tables of its own in
 * {@code public}, with its own Flyway history. Each test has a database of its own, since what is
 * tested is the default schema, {@code astra}.
 */
class SurveyDatabaseTest {

    private PostgresDatabase survey;

    @BeforeEach
    void surveyTables() {
        survey = TestDatabases.postgresDatabase();
        // The survey's own tables, and the history its own Flyway keeps.
        survey.execute("create table spectra (spectrum_id bigint primary key, snr real)");
        survey.execute("insert into spectra values (1, 12.5), (2, 40.0)");
        survey.execute("create table flyway_schema_history (installed_rank int primary key, version varchar(50),"
                + " description varchar(200) not null, type varchar(20) not null, script varchar(1000) not null,"
                + " checksum int, installed_by varchar(100) not null, installed_on timestamp not null default now(),"
                + " execution_time int not null, success boolean not null)");
        survey.execute("insert into flyway_schema_history values (1, '1', 'spectra', 'SQL', 'V1__spectra.sql', 42,"
                + " 'sdss', now(), 5, true)");
    }

    @AfterEach
    void dropIt() {
        survey.close();
    }

    @Test
    void astraSetsUpItsOwnSchemaAndLeavesTheSurveysTablesAlone() throws Exception {
        try (Database database = Database.open(survey.settings())) {
            long run = database.store().startRun(new RunInfo("Reduce", "h", 1, "astra run Reduce"));
            database.store().writePlan(run, Plans.plan().task("A", 0).build());

            assertThat(database.schemaVersion()).contains(Database.latestSchemaVersion());
            assertThat(database.store().task("A").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        }

        assertThat(tables("public")).containsExactlyInAnyOrder("spectra", "flyway_schema_history");
        assertThat(tables("astra")).containsExactlyInAnyOrderElementsOf(OldLayout.TABLES);
        try (Connection c = java.sql.DriverManager.getConnection(survey.url())) {
            DSLContext db = DSL.using(c, SQLDialect.POSTGRES);
            assertThat(db.fetchCount(table(name("public", "spectra")))).isEqualTo(2);
            assertThat(db.fetchValue("select string_agg(version || ':' || script, ',') from public.flyway_schema_history"))
                    .isEqualTo("1:V1__spectra.sql");
        }
        // And a second process finds everything where the first left it.
        try (Database again = Database.open(survey.settings())) {
            assertThat(again.store().task("A")).isPresent();
        }
    }

    @Test
    void theTablesOfAnEarlierAstraInTheCurrentSchemaAreMovedWhole() throws Exception {
        DatabaseSettings settings = survey.settings();
        // Astra before [database] schema: Flyway in the connection's current schema, public.
        Flyway.configure(Migrations.class.getClassLoader()).loggers("slf4j").dataSource(Connections.driver(settings))
                .locations("classpath:astra/db/migration/postgresql").table(Migrations.HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        DSLContext old = DSL.using(Connections.driver(settings), SQLDialect.POSTGRES,
                AstraTables.renderSettings(settings.withSchema("public")));
        long oldRun = old.insertInto(AstraTables.Run.TABLE).set(AstraTables.Run.STARTED_AT, java.time.Instant.now())
                .set(AstraTables.Run.COMMAND, "astra run Old").returningResult(AstraTables.Run.RUN_ID).fetchSingle().value1();

        try (Database database = Database.open(settings)) {
            assertThat(database.store().run(oldRun).map(astra.core.store.RunRecord::command)).contains("astra run Old");
            long next = database.store().startRun(new RunInfo("New", "h", 1, "astra run New"));
            assertThat(next).as("the identity sequence moved with its table").isGreaterThan(oldRun);
        }

        assertThat(tables("public")).containsExactlyInAnyOrder("spectra", "flyway_schema_history");
        assertThat(tables("astra")).containsExactlyInAnyOrderElementsOf(OldLayout.TABLES);
    }

    @Test
    void withSchemaPublicAstrasTablesGoBesideTheSurveys() throws Exception {
        try (Database database = Database.open(survey.settings().withSchema("public"))) {
            database.store().startRun(new RunInfo("Reduce", "h", 1, "astra run Reduce"));
            assertThat(database.schemaVersion()).contains(Database.latestSchemaVersion());
        }

        List<String> expected = new java.util.ArrayList<>(OldLayout.TABLES);
        expected.addAll(List.of("spectra", "flyway_schema_history"));
        assertThat(tables("public")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tables("astra")).isEmpty();
    }

    private List<String> tables(String schema) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(survey.url())) {
            return DSL.using(c, SQLDialect.POSTGRES).select(field(name("table_name"), String.class))
                    .from(table(name("information_schema", "tables")))
                    .where(field(name("table_schema"), String.class).eq(schema)).fetch(0, String.class);
        }
    }
}
