package astra.core.store;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import astra.core.db.DatabaseOutage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DefaultConnectionProvider;
/**
 * How the store talks to its database: transactions that run again after a deadlock, calls that
 * wait out an outage of the database, several reads on one connection, and the store's clock.
 * Shared by the queue ({@link JooqTaskStore}) and the
 * operator's queries ({@link OperatorQueries}).
 */
final class Transactions {

    /** Deadlocks are detected and broken by PostgreSQL; the loser runs again up to this many times. */
    static final int MAX_ATTEMPTS = 5;

    private final Supplier<DSLContext> dsl;
    private final StoreDialect dialect;
    private final Clock clock;
    private final DatabaseOutage outage;

    /** {@code dsl} is asked on every call, so the store follows {@code Database.initProcess()}. */
    Transactions(Supplier<DSLContext> dsl, StoreDialect dialect, Clock clock, DatabaseOutage outage) {
        this.dsl = dsl;
        this.outage = outage;
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

    /**
     * Runs {@code work} in a transaction, again when it loses a conflict (up to
     * {@link #MAX_ATTEMPTS} times) and while the database is away ({@link DatabaseOutage}).
     */
    <T> T inTransaction(Function<DSLContext, T> work) {
        return outage.callUninterruptibly("writing Astra's state", () -> runningAgainOnConflict(work, true));
    }

    /**
     * {@link #inTransaction} for a transaction that also holds a task's own results: it commits
     * with the server's durability, not the store's bookkeeping ({@link StoreDialect#bookkeeping}).
     */
    <T> T inDurableTransaction(Function<DSLContext, T> work) {
        return outage.callUninterruptibly("writing a task's results", () -> runningAgainOnConflict(work, false));
    }

    /**
     * {@link #inTransaction}, but failing at once when the database is away: for work that must
     * not run late, after an outage it would have waited through.
     */
    <T> T inTransactionNow(Function<DSLContext, T> work) {
        return outage.callOnce("writing Astra's state", () -> runningAgainOnConflict(work, true));
    }

    private <T> T runningAgainOnConflict(Function<DSLContext, T> work, boolean bookkeeping) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.get().transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    if (bookkeeping) {
                        dialect.bookkeeping(tx);
                    } else {
                        dialect.idleTransactionLimit(tx);
                    }
                    return work.apply(tx);
                });
            } catch (DataAccessException e) {
                if (attempt >= MAX_ATTEMPTS || !DatabaseOutage.isConflict(e)) {
                    throw e;
                }
            }
        }
    }

    /** One read on the process's connections, waiting out an outage of the database. */
    <T> T read(Function<DSLContext, T> work) {
        return outage.callUninterruptibly("reading Astra's state", () -> work.apply(dsl.get()));
    }

    /** Several reads on one connection, outside a transaction (which on SQLite would take the write lock). */
    <T> T withConnection(Function<DSLContext, T> work) {
        return read(db -> db.connectionResult(c -> work.apply(db.configuration().derive(new DefaultConnectionProvider(c)).dsl())));
    }
}
