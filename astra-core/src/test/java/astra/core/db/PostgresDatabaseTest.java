package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import astra.core.testing.PgActivity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Properties;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest extends DatabaseContract {

    private static final Field<Integer> BACKEND_PID = DSL.field("pg_backend_pid()", Integer.class);

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }

    @Test
    void processesOpeningAFreshSchemaAtOnceAllGetItMigrated() throws Exception {
        // As an astra run and an astra worker started together on a new database: each opens it
        // and migrates it; two that both found the schema fresh used to collide in Flyway's baseline.
        int n = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.List<java.util.concurrent.Future<String>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (Database database = Database.open(db.settings(), Clock.systemUTC())) {
                        return database.schemaVersion().orElse("none");
                    }
                }));
            }
            for (java.util.concurrent.Future<String> version : opened) {
                assertThat(version.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(Database.latestSchemaVersion());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutPoolingEachTransactionHasItsOwnServerProcess() {
        Database database = db.open(db.settings().withPooling(false), Clock.systemUTC());

        Integer first = database.dsl().transactionResult(c -> c.dsl().fetchValue(BACKEND_PID));
        Integer second = database.dsl().transactionResult(c -> c.dsl().fetchValue(BACKEND_PID));

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void pooledTransactionsReuseAServerProcess() {
        Database database = db.open(db.settings().withPoolSize(1), Clock.systemUTC());

        Integer first = database.dsl().transactionResult(c -> c.dsl().fetchValue(BACKEND_PID));
        Integer second = database.dsl().transactionResult(c -> c.dsl().fetchValue(BACKEND_PID));

        assertThat(first).isEqualTo(second);
    }

    @Test
    void connectionLimitsReportTheServersSettingsAndTheConnectionsInUse() throws Exception {
        Database database = db.open(db.settings().withPooling(false), Clock.systemUTC());
        int max = Integer.parseInt(database.dsl().fetchValue("show max_connections").toString());
        int superuserReserved = Integer.parseInt(database.dsl().fetchValue("show superuser_reserved_connections").toString());

        try (Connection one = database.dataSource().getConnection();
                Connection two = database.dataSource().getConnection()) {
            ConnectionLimits limits = database.connectionLimits().orElseThrow();

            assertThat(limits.maxConnections()).isPositive().isEqualTo(max);
            assertThat(limits.reservedConnections()).isGreaterThanOrEqualTo(superuserReserved);
            assertThat(limits.inUse()).as("the two held and the one asking").isGreaterThanOrEqualTo(3)
                    .isLessThanOrEqualTo(max);
            assertThat(limits.available())
                    .isEqualTo(Math.max(0, max - limits.reservedConnections() - limits.inUse()));
        }
    }

    /** Within one transaction PostgreSQL shows one snapshot of its processes, so the counts agree. */
    @Test
    void connectionLimitsCountClientBackendsButNotBackgroundProcesses() {
        Database database = db.open();

        database.dsl().transaction(c -> {
            ConnectionLimits limits = ConnectionLimits.read(c.dsl(), SQLDialect.POSTGRES).orElseThrow();
            Record seen = c.dsl().fetchSingle("select count(*) filter (where backend_type = 'client backend'),"
                    + " count(*) from pg_stat_activity");

            assertThat(limits.inUse()).isEqualTo(seen.get(0, Integer.class)).isLessThan(seen.get(1, Integer.class));
        });
    }

    @Test
    void astrasConnectionsCarryItsApplicationName() {
        Database database = db.open();

        assertThat(database.dsl().fetchValue("select current_setting('application_name')")).isEqualTo("astra");
    }

    @Test
    void pgActivityCountsTheConnectionsOfOneApplication() throws Exception {
        String url = db.settings().url();
        String name = "astra-test-" + System.nanoTime();
        Properties named = new Properties();
        named.setProperty("ApplicationName", name);
        assertThat(PgActivity.count(url, name)).isZero();

        try (Connection one = DriverManager.getConnection(url, named);
                Connection two = DriverManager.getConnection(url, named)) {
            assertThat(PgActivity.count(url, name)).isEqualTo(2);
        }
        Database database = db.open(db.settings().withPooling(false), Clock.systemUTC());
        try (Connection held = database.dataSource().getConnection()) {
            assertThat(PgActivity.count(url, "astra")).isPositive();
        }
    }

    @Test
    void tablesLandInTheTestsOwnSchema() {
        Database database = db.open();

        Object schema = database.dsl().fetchValue("select table_schema from information_schema.tables"
                + " where table_name = 'astra_task' and table_schema = current_schema()");

        assertThat(schema).asString().startsWith("astra_t_");
    }
}
