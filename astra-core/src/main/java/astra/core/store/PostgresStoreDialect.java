package astra.core.store;

import astra.core.store.AstraTables.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.sql.SQLException;
import java.util.Objects;
import org.jooq.Binding;
import org.jooq.Condition;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.InsertOnConflictConditionStep;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
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

    /** Rows per {@link #insertRows}: one array per column, so the statement is short at any count. */
    static final int ROWS_PER_INSERT = 10_000;

    /** Below this many rows written, a plan leaves the statistics to autovacuum. */
    static final int ANALYZE_FROM_ROWS = 10_000;

    @Override
    public Upserted upsertTasks(
            DSLContext tx, InsertOnConflictConditionStep<Record> upsert, Collection<String> ids, Condition overwritable) {
        // RETURNING yields the inserted and the updated rows, not those the WHERE kept as they were;
        // a row this statement inserted has no xmax yet, one it updated carries its lock's.
        Field<Boolean> inserted = DSL.field("xmax = 0", Boolean.class);
        Set<String> written = new LinkedHashSet<>();
        Set<String> replaced = new HashSet<>();
        for (Record2<String, Boolean> r : upsert.returningResult(Task.TASK_ID, inserted).fetch()) {
            written.add(r.value1());
            if (!r.value2()) {
                replaced.add(r.value1());
            }
        }
        return new Upserted(written, replaced);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code INSERT ... SELECT FROM unnest(?, ?, ...)}: each column's values travel as one text
     * array (the driver's own encoding, {@link #TEXT_ARRAY}) and are cast to the column's type on
     * the server; a column holding one value in every row (a plan's run and time) is bound once.
     * jOOQ renders a multi-row VALUES list one bind value at a time, which took longer than
     * PostgreSQL took to insert the rows, and every row count made a different statement.
     */
    @Override
    public InsertOnDuplicateStep<Record> insertRows(
            DSLContext tx, Table<Record> table, List<Field<?>> columns, List<Object[]> rows) {
        int n = columns.size();
        List<QueryPart> arrays = new ArrayList<>(n);
        List<String> names = new ArrayList<>(n);
        List<Field<?>> select = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            DataType<?> type = columns.get(c).getDataType();
            Object first = rows.get(0)[c];
            if (rows.size() > 1 && sameInEvery(rows, c, first)) {
                select.add(DSL.val(first, type));
                continue;
            }
            String[] values = new String[rows.size()];
            for (int r = 0; r < values.length; r++) {
                Object v = rows.get(r)[c];
                values[r] = v == null ? null : v.toString();
            }
            String name = "c" + c;
            select.add(DSL.cast(DSL.field(DSL.name("u", name), String.class), type));
            names.add(name);
            arrays.add(DSL.val(values, TEXT_ARRAY));
        }
        StringBuilder call = new StringBuilder("unnest(");
        for (int a = 0; a < arrays.size(); a++) {
            call.append(a == 0 ? "" : ", ").append('{').append(a).append('}');
        }
        Table<?> unnested = DSL.table(call.append(')').toString(), arrays.toArray(QueryPart[]::new))
                .as("u", names.toArray(String[]::new));
        return tx.insertInto(table, columns).select(DSL.select(select).from(unnested));
    }

    private static boolean sameInEvery(List<Object[]> rows, int column, Object value) {
        for (Object[] row : rows) {
            if (!Objects.equals(row[column], value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A {@code text[]} bound with the driver's {@code createArrayOf}: jOOQ's own array binding
     * escapes each element with several passes of string replacement, a third of a million-task
     * plan's time in the JVM.
     */
    private static final DataType<String[]> TEXT_ARRAY = SQLDataType.CLOB.array().asConvertedDataType(Binding.of(
            Converter.of(String[].class, String[].class, a -> a, a -> a),
            ctx -> ctx.render().sql(ctx.variable()).sql("::text[]"),
            ctx -> {
                throw new UnsupportedOperationException("text arrays are only bound, never read");
            },
            ctx -> {
                try {
                    ctx.statement().setArray(ctx.index(), ctx.statement().getConnection().createArrayOf("text", ctx.value()));
                } catch (SQLException e) {
                    throw new DataAccessException("cannot bind a text array: " + e.getMessage(), e);
                }
            }));

    @Override
    public int rowsPerInsert(int columns) {
        return ROWS_PER_INSERT;
    }

    @Override
    public void analyzeAfterPlan(DSLContext dsl, int rows) {
        if (rows < ANALYZE_FROM_ROWS) {
            return;
        }
        // A user who does not own the tables gets a server WARNING and no statistics, not an
        // error: the lookups then wait for autovacuum, as before.
        dsl.execute("analyze {0}, {1}", AstraTables.Task.TABLE, AstraTables.Edge.TABLE);
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
        // One round trip for both settings (see idleTransactionLimit).
        tx.execute("select set_config('synchronous_commit', 'off', true),"
                + " set_config('idle_in_transaction_session_timeout', '" + IDLE_TRANSACTION_LIMIT + "', true)");
    }

    @Override
    public void idleTransactionLimit(DSLContext tx) {
        tx.execute("select set_config('idle_in_transaction_session_timeout', '" + IDLE_TRANSACTION_LIMIT + "', true)");
    }

    /**
     * How long one of Astra's transactions may sit idle before the server ends its session: a
     * worker frozen in the middle of one (SIGSTOP, a suspended VM) would otherwise hold its task's
     * row lock forever, and no other worker could take its task over.
     */
    static final String IDLE_TRANSACTION_LIMIT = "60s";

    @Override
    public Field<Double> secondsBetween(Field<java.time.Instant> from, Field<java.time.Instant> to) {
        return DSL.field("extract(epoch from ({0} - {1}))", Double.class, to, from);
    }

    @Override
    public Condition in(Field<String> field, Collection<String> ids) {
        // IN (SELECT unnest(array)), not = ANY(array): the array arrives as text that PostgreSQL
        // converts at run time, and under = ANY it converts it again for every row it scans (a
        // table just written has no statistics, so it scans): 2.5 s for 4,000 ids, a minute for
        // 20,000. Unnested once, the ids are hashed or looked up in the primary key.
        return field.in(DSL.select(DSL.field("unnest({0})", String.class,
                DSL.val(ids.toArray(String[]::new), TEXT_ARRAY))));
    }



}
