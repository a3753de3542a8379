package astra.core.store;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DefaultConnectionProvider;
/**
 * How the store talks to its database: transactions that retry on a deadlock, several reads on
 * one connection, and the store's clock. Shared by the queue ({@link JooqTaskStore}) and the
 * operator's queries ({@link OperatorQueries}).
 */
final class Transactions {

    /** Deadlocks are detected and broken by PostgreSQL; the loser retries this many times. */
    static final int MAX_ATTEMPTS = 5;

    private final Supplier<DSLContext> dsl;
    private final StoreDialect dialect;
    private final Clock clock;

    /** {@code dsl} is asked on every call, so the store follows {@code Database.initProcess()}. */
    Transactions(Supplier<DSLContext> dsl, StoreDialect dialect, Clock clock) {
        this.dsl = dsl;
        this.dialect = dialect;
        this.clock = clock;
    }

    /** The process's connections, as they are now. */
    DSLContext dsl() {
        return dsl.get();
    }

    /** Both databases keep microseconds; the clock may tick in nanoseconds. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    <T> T inTransaction(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.get().transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    dialect.bookkeeping(tx);
                    return work.apply(tx);
                });
            } catch (DataAccessException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
            }
        }
    }

    /** A deadlock (40P01) or serialization failure (40001): the transaction may simply run again. */
    private static boolean isTransient(DataAccessException e) {
        String state = e.sqlState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** Several reads on one connection, outside a transaction (which on SQLite would take the write lock). */
    <T> T withConnection(Function<DSLContext, T> work) {
        DSLContext db = dsl.get();
        return db.connectionResult(c -> work.apply(db.configuration().derive(new DefaultConnectionProvider(c)).dsl()));
    }
}
