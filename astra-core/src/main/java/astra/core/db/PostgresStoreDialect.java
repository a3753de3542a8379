package astra.core.db;

import astra.core.db.AstraTables.Task;
import java.util.Collection;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;

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
}
