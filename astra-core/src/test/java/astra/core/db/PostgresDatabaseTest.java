package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import java.time.Clock;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest extends DatabaseContract {

    private static final Field<Integer> BACKEND_PID = DSL.field("pg_backend_pid()", Integer.class);

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
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
    void tablesLandInTheTestsOwnSchema() {
        Database database = db.open();

        Object schema = database.dsl().fetchValue("select table_schema from information_schema.tables"
                + " where table_name = 'astra_task' and table_schema = current_schema()");

        assertThat(schema).asString().startsWith("astra_t_");
    }
}
