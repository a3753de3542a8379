package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.internal.TaskRuntime;
import astra.core.store.AstraTables;
import astra.core.store.Plans;
import astra.core.store.RunInfo;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import astra.core.testing.MutableClock;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connecting, migrating and reconnecting, the same on every database; one subclass per database. */
public abstract class DatabaseContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    protected abstract DatabaseExtension database();

    @Test
    void migrationCreatesTheTablesOnceAndReopeningKeepsThem() {
        Database first = db.open();
        long run = first.store().startRun(new RunInfo("R", "h", 1, "c"));
        first.close();

        Database again = db.open();

        for (String table : OldLayout.TABLES) {
            assertThat(again.dsl().fetchCount(DSL.table(DSL.name(AstraTables.SCHEMA, table)))).as(table)
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(again.dsl().fetchCount(Migrations.history(again.settings()),
                DSL.field(DSL.name("success"), Boolean.class).isTrue()))
                .as("one row per migration").isEqualTo(Integer.parseInt(Migrations.LATEST_VERSION));
        assertThat(again.dsl().fetchCount(AstraTables.Run.TABLE, AstraTables.Run.RUN_ID.eq(run))).isEqualTo(1);
    }

    /**
     * A database that version 1 created and used, with a task claimed before claims had
     * heartbeats: opening it migrates it, keeps its rows, and the claim's start stands in for
     * the heartbeat it never had.
     */
    @Test
    void aVersion1DatabaseIsBroughtUpToDateAndKeepsItsRows() {
        DatabaseSettings settings = db.settings();
        Migrations.configure(settings, Connections.driver(settings)).target("1").load().migrate();
        Instant claimed = Instant.parse("2026-03-04T05:06:07.123456Z");
        DSLContext v1 = DSL.using(Connections.driver(settings), settings.dialect(), AstraTables.renderSettings(settings));
        long run = v1.insertInto(AstraTables.Run.TABLE).set(AstraTables.Run.STARTED_AT, claimed)
                .returningResult(AstraTables.Run.RUN_ID).fetchSingle().value1();
        v1.insertInto(AstraTables.Task.TABLE)
                .set(AstraTables.Task.TASK_ID, "T").set(AstraTables.Task.FAMILY, "F")
                .set(AstraTables.Task.CLASS_NAME, "test.T").set(AstraTables.Task.PARAMS, "{}")
                .set(AstraTables.Task.STATE, "RUNNING").set(AstraTables.Task.ATTEMPTS, 1)
                .set(AstraTables.Task.RUN_ID, run).set(AstraTables.Task.WORKER, "old-worker")
                .set(AstraTables.Task.CREATED_AT, claimed).set(AstraTables.Task.UPDATED_AT, claimed)
                .set(AstraTables.Task.STARTED_AT, claimed)
                .execute();
        assertThat(Migrations.isLatest(settings, Connections.driver(settings))).isFalse();
        MutableClock clock = new MutableClock(claimed.plus(Duration.ofMinutes(2)));

        Database database = db.open(clock);

        assertThat(Migrations.isLatest(database.settings(), database.dataSource())).isTrue();
        TaskStore store = database.store();
        assertThat(store.task("T").orElseThrow()).extracting(TaskRecord::state, TaskRecord::worker, TaskRecord::runId)
                .containsExactly(TaskState.RUNNING, "old-worker", run);
        assertThat(database.dsl().select(AstraTables.Task.HEARTBEAT_AT).from(AstraTables.Task.TABLE).fetchSingle()
                .value1()).isNull();
        assertThat(store.workers(run)).isEmpty();
        assertThat(store.releaseStaleClaims(Duration.ofSeconds(60), "no heartbeat")).containsExactly("T");
        store.registerWorker(new WorkerRecord("w", run, "h", 1, null, 0, 1, null, 0, null, null));
        assertThat(store.workers(run)).extracting(WorkerRecord::workerId).containsExactly("w");
    }

    @Test
    void reflectionReadsTheUsersTablesOncePerConnectionWithTheirColumns() {
        Database database = db.open();
        database.dsl().execute("create table spectra (spectrum_id bigint primary key, snr real, obj varchar(20))");
        String schema = database.reflection().currentSchema();

        org.jooq.Table<?> spectra = database.reflection().table("spectra");
        assertThat(spectra.fields()).extracting(org.jooq.Field::getName).containsExactly("spectrum_id", "snr", "obj");
        assertThat(database.reflection().table(schema + ".spectra")).isSameAs(spectra);
        database.dsl().insertInto(spectra).set(spectra.field("spectrum_id", Long.class), 7L)
                .set(spectra.field("snr", Float.class), 12.5f).execute();
        assertThat(database.dsl().fetchCount(spectra, spectra.field("snr", Float.class).gt(10f))).isEqualTo(1);

        assertThatThrownBy(() -> database.reflection().table("spectrum"))
                .isInstanceOf(astra.core.AstraException.BadInput.class)
                .hasMessage("there is no table spectrum in the schema " + schema + "; did you mean spectra?");

        database.dsl().execute("create table labels (star_id bigint)");
        assertThat(database.reflection().tables(schema)).extracting(org.jooq.Table::getName).doesNotContain("labels");
        database.reflection().forget();
        assertThat(database.reflection().tables(schema)).extracting(org.jooq.Table::getName).contains("labels", "spectra");
    }

    @Test
    void echoLogsEachStatementWithItsValuesWrittenIn() {
        ch.qos.logback.classic.Logger sql = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("astra.sql");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        sql.addAppender(seen);
        ch.qos.logback.classic.Level before = sql.getLevel();
        sql.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            Database quiet = db.open();
            quiet.store().startRun(new RunInfo("Quiet", "h", 1, "c"));
            assertThat(seen.list).isEmpty();

            Database loud = db.open(db.settings().withEcho(true), Clock.systemUTC());
            loud.store().startRun(new RunInfo("Loud_1", "h", 1, "astra run Loud"));

            assertThat(seen.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith("SQL: insert into ").contains("astra_run")
                            .contains("'astra run Loud'"));
        } finally {
            sql.detachAppender(seen);
            sql.setLevel(before);
        }
    }

    @Test
    void aDatabaseANewerAstraMigratedIsRefusedInOneLine() {
        Database first = db.open();
        first.dsl().insertInto(Migrations.history(first.settings()))
                .columns(DSL.field(DSL.name("installed_rank")), DSL.field(DSL.name("version")),
                        DSL.field(DSL.name("description")), DSL.field(DSL.name("type")), DSL.field(DSL.name("script")),
                        DSL.field(DSL.name("installed_by")), DSL.field(DSL.name("execution_time")),
                        DSL.field(DSL.name("success")))
                .values(99, "99", "from the future", "SQL", "V99__future.sql", "someone", 0, true).execute();
        first.close();

        assertThatThrownBy(db::open).isInstanceOf(astra.core.AstraException.DatabaseUnavailable.class)
                .hasMessageContaining("are at version 99, newer than this Astra knows (" + Migrations.LATEST_VERSION
                        + "): run a newer Astra")
                .hasMessageNotContaining("\n");
    }

    @Test
    void openInstallsTheStoreForTheProcessAndCloseRemovesIt() {
        Database database = db.open();
        assertThat(TaskRuntime.store()).isSameAs(database.store());
        assertThat(database.dialect()).isEqualTo(db.settings().dialect());
        assertThat(database.connectCount()).isEqualTo(1);

        database.close();

        assertThatThrownBy(TaskRuntime::store).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(database::dsl).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void initProcessBuildsNewConnectionsAndTheStoreKeepsWorking() {
        Database database = db.open();
        TaskStore store = database.store();
        DataSource old = database.dataSource();
        long run = store.startRun(new RunInfo("R", "h", 1, "c"));

        database.initProcess();

        assertThat(database.connectCount()).isEqualTo(2);
        assertThat(database.dataSource()).isNotSameAs(old);
        assertThat(((HikariDataSource) old).isClosed()).isTrue();
        assertThat(TaskRuntime.store()).isSameAs(store);
        store.writePlan(run, Plans.plan().task("A", 0).build());
        assertThat(store.claim(run, "w")).isPresent();
    }

    @Test
    void initProcessRecoversFromAPoolThatWasClosedUnderneath() {
        Database database = db.open();
        long run = database.store().startRun(new RunInfo("R", "h", 1, "c"));
        ((HikariDataSource) database.dataSource()).close();
        assertThatThrownBy(() -> database.store().hasWorkLeft(run)).isInstanceOf(RuntimeException.class);

        database.initProcess();
        database.initProcess();

        assertThat(database.connectCount()).isEqualTo(3);
        assertThat(database.store().hasWorkLeft(run)).isFalse();
    }

    @Test
    void withoutPoolingEveryTransactionOpensItsOwnConnection() {
        Database database = db.open(db.settings().withPooling(false), Clock.systemUTC());
        assertThat(database.dataSource()).isNotInstanceOf(HikariDataSource.class);
        long before = database.connectionsOpened();

        long run = database.store().startRun(new RunInfo("R", "h", 1, "c"));
        database.store().writePlan(run, Plans.plan().task("A", 0).build());
        database.store().claim(run, "w").orElseThrow();

        assertThat(database.connectionsOpened() - before).isEqualTo(3);
        assertThat(database.store().markDone("A", "w")).isTrue();
        assertThat(database.connectionsOpened() - before).isEqualTo(4);
    }

    @Test
    void initProcessWithoutPoolingStartsCountingAgain() {
        Database database = db.open(db.settings().withPooling(false), Clock.systemUTC());
        database.store().startRun(new RunInfo("R", "h", 1, "c"));

        database.initProcess();

        assertThat(database.connectCount()).isEqualTo(2);
        assertThat(database.connectionsOpened()).as("only the check at connect").isEqualTo(1);
        database.store().startRun(new RunInfo("R", "h", 1, "c"));
        assertThat(database.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void describeAndToStringShowTheUrlButNoPassword() {
        Database database = db.open();
        assertThat(database.describe()).isEqualTo(db.settings().describe()).startsWith("jdbc:");
        assertThat(database.toString()).contains(database.describe());
    }
}
