package astra.core.store;

import astra.core.store.AstraTables.Task;
import java.util.Collection;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** PostgreSQL: row locks, {@code SKIP LOCKED}, and an upsert that returns what it wrote. */
final class PostgresStoreDialect implements StoreDialect {


    @Override
    public <R extends Record> Select<R> forUpdate(SelectForUpdateStep<R> select) {
        return select.forUpdate();
    }

    @Override
    public <R extends Record> Select<R> forUpdateSkipLocked(SelectForUpdateStep<R> select) {
        return select.forUpdate().skipLocked();
    }

    @Override
    public Set<String> upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable) {
        // RETURNING yields the inserted and the updated rows, not those the WHERE kept as they were.
        return upsert.returningResult(Task.TASK_ID).fetchSet(Task.TASK_ID);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code max_connections} limits client backends only (autovacuum, WAL senders and other
     * background processes have slots of their own), so only those are counted, in every
     * database. A user without {@code pg_read_all_stats} sees other users' {@code backend_type}
     * as null: a row with a database is then counted too, which can count an autovacuum or
     * parallel worker of theirs, erring towards fewer connections available. Before PostgreSQL
     * 10 there is no {@code backend_type}, and every row is counted. The reserved slots are the
     * superusers' and, from PostgreSQL 16, {@code reserved_connections}.
     */
    @Override
    public void bookkeeping(DSLContext tx) {
        tx.execute("set local synchronous_commit to off");
    }

    @Override
    public Condition in(Field<String> field, Collection<String> ids) {
        // IN (SELECT unnest(array)), not = ANY(array): the array arrives as text that PostgreSQL
        // converts at run time, and under = ANY it converts it again for every row it scans (a
        // table just written has no statistics, so it scans): 2.5 s for 4,000 ids, a minute for
        // 20,000. Unnested once, the ids are hashed or looked up in the primary key.
        return field.in(DSL.select(DSL.field("unnest({0})", String.class,
                DSL.val(ids.toArray(String[]::new), SQLDataType.CLOB.array()))));
    }



}
