package astra.core.store;

import java.util.Collection;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;

/**
 * The store's SQL that differs between PostgreSQL and SQLite. Everything else is written once.
 *
 * <p>PostgreSQL has row locks, so concurrent writers lock what they read. SQLite has one writer
 * at a time: Astra opens every SQLite transaction with {@code BEGIN IMMEDIATE}, so whatever a
 * transaction reads cannot change before it commits, and row locks are unnecessary (and
 * {@code FOR UPDATE} is a syntax error there).
 */
interface StoreDialect {

    static StoreDialect of(SQLDialect dialect) {
        return dialect == SQLDialect.SQLITE ? new SqliteStoreDialect() : new PostgresStoreDialect();
    }

    /** The select, locking the rows it returns until the transaction ends. */
    <R extends Record> Select<R> forUpdate(SelectForUpdateStep<R> select);

    /** The select, skipping rows another transaction has locked and locking the rest. */
    <R extends Record> Select<R> forUpdateSkipLocked(SelectForUpdateStep<R> select);

    /**
     * Runs a task upsert ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE overwritable}) and
     * returns the ids it inserted or overwrote: {@code ids} minus existing rows that are not
     * {@code overwritable}.
     */
    Set<String> upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable);

    /**
     * {@code field IN ids} with the ids bound as one value (an array; a JSON array on SQLite),
     * so that thousands of ids make a short statement: jOOQ renders a list of bind values far
     * more slowly than the database answers it.
     */
    Condition in(Field<String> field, Collection<String> ids);

    /**
     * Called first in each of the store's transactions. On PostgreSQL it turns off waiting for
     * the commit to reach the disk, for this transaction only ({@code SET LOCAL}; a task's own
     * transactions keep the server's setting): a server that crashes may lose the store's last
     * few hundred milliseconds of claims and results, never half of one, and those tasks simply
     * run again, as after a worker's death. That is the durability SQLite's {@code synchronous =
     * NORMAL} gives the embedded database, and it takes the disk's flush out of every claim and
     * every result: without it a fan-out's tasks all wait, one flush each, for the lock on the
     * task they release.
     */
    void bookkeeping(DSLContext tx);
}
