package astra.core.store;

import astra.core.store.AstraTables.Task;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.Record;
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
    public Set<String> upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable) {
        // jOOQ emulates RETURNING on an SQLite upsert with last_insert_rowid(), which names the wrong
        // rows; ask first instead. The IMMEDIATE transaction keeps the answer true until commit.
        Set<String> kept = tx.select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.TASK_ID.in(ids)).and(DSL.not(overwritable))
                .fetchSet(Task.TASK_ID);
        upsert.execute();
        Set<String> written = new LinkedHashSet<>(ids);
        written.removeAll(kept);
        return written;
    }

    /** A file has no connection limit. */
    @Override
    public void bookkeeping(DSLContext tx) {
        // synchronous = NORMAL for the whole file already (Connections).
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
