package astra.bench.synthetic;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.primaryKey;
import static org.jooq.impl.DSL.table;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.SQLDataType;

/**
 * The SQL of the benchmark tasks that write a row ({@link InsertRow}, {@link CheckedRow},
 * {@link CheckedRowSet}): the
 * table {@code example_bench_rows}, one row per task, keyed by its task id. jOOQ with bound
 * values, so the same code runs on PostgreSQL and on the embedded SQLite default.
 *
 * <p>A task's run is one insert: the table is created only when an insert finds it missing,
 * and on PostgreSQL several worker processes may race to create it.
 */
final class BenchRows {

    static final String NAME = "example_bench_rows";
    static final Table<Record> TABLE = table(name(NAME));
    static final Field<String> TASK_ID = field(name("task_id"), SQLDataType.VARCHAR(255).nullable(false));
    static final Field<Integer> I = field(name("i"), SQLDataType.INTEGER.nullable(false));

    private BenchRows() {}

    /**
     * Inserts the task's row; a row left by an earlier attempt of the same task is kept. If the
     * insert fails because the table is missing, creates it and inserts again; the table may also
     * have appeared meanwhile, made by another worker, so the second insert comes either way.
     */
    static void insert(DSLContext db, String taskId, int i) {
        try {
            insertRow(db, taskId, i);
        } catch (DataAccessException first) {
            if (!exists(db)) {
                create(db);
            }
            try {
                insertRow(db, taskId, i);
            } catch (DataAccessException again) {
                again.addSuppressed(first);
                throw again;
            }
        }
    }

    private static void insertRow(DSLContext db, String taskId, int i) {
        db.insertInto(TABLE).set(TASK_ID, taskId).set(I, i).onConflictDoNothing().execute();
    }

    /** Whether the task's row exists: one indexed query; false, not an error, before the table exists. */
    static boolean contains(DSLContext db, String taskId) {
        try {
            return db.fetchExists(TABLE, TASK_ID.eq(taskId));
        } catch (DataAccessException e) {
            if (!exists(db)) {
                return false;
            }
            throw e;
        }
    }

    /** Which of the tasks have their row: one query; an empty set before the table exists. */
    static Set<String> containedAmong(DSLContext db, Collection<String> taskIds) {
        try {
            return new HashSet<>(db.select(TASK_ID).from(TABLE).where(TASK_ID.in(taskIds)).fetch(TASK_ID));
        } catch (DataAccessException e) {
            if (!exists(db)) {
                return Set.of();
            }
            throw e;
        }
    }

    static void create(DSLContext db) {
        try {
            db.createTableIfNotExists(TABLE).columns(TASK_ID, I).constraints(primaryKey(TASK_ID)).execute();
        } catch (DataAccessException e) {
            // On PostgreSQL two workers can both pass IF NOT EXISTS at once; the loser's error is harmless.
            if (!exists(db)) {
                throw e;
            }
        }
    }

    /** Whether the table is visible to this connection, as the queries above resolve it. */
    private static boolean exists(DSLContext db) {
        try {
            db.selectOne().from(TABLE).limit(0).fetch();
            return true;
        } catch (DataAccessException e) {
            db.selectOne().fetch(); // a broken connection fails here instead of passing for a missing table
            return false;
        }
    }
}
