package astra.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.InsertOnDuplicateStep;
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
     * returns the ids it wrote: {@code ids} minus existing rows that are not {@code overwritable},
     * and of those the rows that existed before (whose edges the plan replaces).
     */
    Upserted upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable);

    /** What a task upsert wrote: every row, and those of them that existed before. */
    record Upserted(Set<String> written, Set<String> replaced) {}

    /**
     * {@code INSERT INTO table (columns)} the rows, one value per column each (a Java value of the
     * column's type, or null), in one statement; the caller adds any {@code ON CONFLICT}. At most
     * {@link #rowsPerInsert} rows.
     */
    InsertOnDuplicateStep<Record> insertRows(
            DSLContext tx, org.jooq.Table<Record> table, List<Field<?>> columns, List<Object[]> rows);

    /** How many rows of {@code columns} columns one {@link #insertRows} takes. */
    int rowsPerInsert(int columns);

    /**
     * Brings the planner's statistics of the store's tables up to date at the end of a plan's
     * transaction that wrote {@code rows} rows, when that many could change its choices (they
     * count the transaction's own rows, and take effect with its commit). PostgreSQL plans the
     * store's lookups from them: without, it guesses that a requirement has thousands of edges
     * and scans them all (0.2-0.4 s a step at a million tasks); and autovacuum may be off, or not
     * yet round to a table a run has just filled.
     */
    void analyzeAfterPlan(DSLContext dsl, int rows);

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

    /**
     * Called first in a transaction that also holds a task's results (which keeps the server's
     * durability): only the limit on idling inside it that {@link #bookkeeping} sets too.
     */
    void idleTransactionLimit(DSLContext tx);

    /** The seconds from {@code from} to {@code to}, with their fractions. */
    Field<Double> secondsBetween(Field<java.time.Instant> from, Field<java.time.Instant> to);
}
