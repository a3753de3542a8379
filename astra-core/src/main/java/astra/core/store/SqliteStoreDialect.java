package astra.core.store;

import astra.core.store.AstraTables.Task;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.impl.DSL;

/** SQLite: one writer at a time (transactions begin IMMEDIATE), so no row locks. */
final class SqliteStoreDialect implements StoreDialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public <R extends Record> Select<R> forUpdate(SelectForUpdateStep<R> select) {
        return select;
    }

    @Override
    public <R extends Record> Select<R> forUpdateSkipLocked(SelectForUpdateStep<R> select) {
        return select;
    }

    @Override
    public Upserted upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable) {
        // jOOQ emulates RETURNING on an SQLite upsert with last_insert_rowid(), which names the wrong
        // rows; ask first instead. The IMMEDIATE transaction keeps the answer true until commit.
        Set<String> kept = new HashSet<>();
        Set<String> replaced = new HashSet<>();
        for (Record2<String, Boolean> r : tx.select(Task.TASK_ID, DSL.field(overwritable)).from(Task.TABLE)
                .where(in(Task.TASK_ID, ids)).fetch()) {
            (Boolean.TRUE.equals(r.value2()) ? replaced : kept).add(r.value1());
        }
        upsert.execute();
        Set<String> written = new LinkedHashSet<>(ids);
        written.removeAll(kept);
        return new Upserted(written, replaced);
    }

    /** A multi-row VALUES list: SQLite has no arrays, and its statements cost no network round trip. */
    @Override
    public InsertOnDuplicateStep<Record> insertRows(
            DSLContext tx, Table<Record> table, List<Field<?>> columns, List<Object[]> rows) {
        InsertValuesStepN<Record> insert = tx.insertInto(table, columns);
        for (Object[] row : rows) {
            insert = insert.values(row);
        }
        return insert;
    }

    /** Within SQLite's 32,766 bind values with room to spare, and at most 1,000 rows. */
    @Override
    public int rowsPerInsert(int columns) {
        return Math.max(1, Math.min(1000, 8000 / columns));
    }

    /** SQLite's planner chooses the store's indexes without statistics. */
    @Override
    public void analyzeAfterPlan(DSLContext dsl, int rows) {}

    /** A file has no connection limit. */
    @Override
    public void bookkeeping(DSLContext tx) {
        // synchronous = NORMAL for the whole file already (Connections).
    }

    @Override
    public void idleTransactionLimit(DSLContext tx) {
        // One writer at a time, on one host: a frozen writer holds the file's lock, not rows.
    }

    @Override
    public Field<Double> secondsBetween(Field<java.time.Instant> from, Field<java.time.Instant> to) {
        return DSL.field("(julianday({0}) - julianday({1})) * 86400.0", Double.class, to, from);
    }

    @Override
    public Condition in(Field<String> field, Collection<String> ids) {
        String json;
        try {
            json = JSON.writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ids as JSON: " + e.getOriginalMessage(), e);
        }
        return field.in(DSL.select(DSL.field(DSL.name("value"), String.class))
                .from(DSL.table("json_each({0})", DSL.val(json))));
    }

}
