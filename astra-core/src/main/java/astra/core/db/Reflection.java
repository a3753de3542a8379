package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.Suggestions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Meta;
import org.jooq.SQLDialect;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The live database's tables as jOOQ reads them from the driver's metadata, for tasks that query a
 * survey's tables without declaring them (Python Astra's {@code auto_reflect} and
 * {@code prepare_bases}): {@link Database#reflection()}. Each schema is read once per process, on
 * first use, and kept until the database connects anew ({@link Database#initProcess()}, a switch of
 * profile or user) or {@link #forget()}. A reflected table names its schema, so a query built on it
 * finds it whatever the search path.
 *
 * <pre>{@code
 * Table<?> stars = Database.current().reflection().table("catalogdb.gaia_dr3");
 * Field<Long> id = stars.field("source_id", Long.class);
 * boolean done = ctx.db().fetchExists(stars, id.eq(sourceId));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Reflection {

    private final Supplier<DSLContext> dsl;
    private final ConcurrentMap<String, Map<String, Table<?>>> bySchema = new ConcurrentHashMap<>();
    /** The connections' current schema, asked once: {@link #table} with a bare name is called per task. */
    private volatile String currentSchema;

    Reflection(Supplier<DSLContext> dsl) {
        this.dsl = dsl;
    }

    /**
     * The tables (and views) of {@code schema} in name order, with their columns; a schema that
     * does not exist (or that the user may not see) has none. SQLite's file has one schema, whatever
     * {@code schema} says.
     */
    public List<Table<?>> tables(String schema) {
        return List.copyOf(bySchema(schema).values());
    }

    /**
     * One table, by {@code schema.table}, or by {@code table} alone in the connections' current
     * schema (usually {@code public}; SQLite's file).
     *
     * @throws AstraException.BadInput if there is none of that name, with the closest names
     */
    public Table<?> table(String name) {
        int dot = name.indexOf('.');
        String schema = dot < 0 ? currentSchema() : name.substring(0, dot);
        String table = name.substring(dot + 1);
        Map<String, Table<?>> tables = bySchema(schema);
        Table<?> found = tables.get(table);
        if (found == null) {
            List<String> close = Suggestions.closest(table, tables.keySet(), 3);
            throw new AstraException.BadInput("there is no table " + table + " in the schema " + schema
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?"));
        }
        return found;
    }

    /** The schema unqualified names find first: PostgreSQL's current schema, or SQLite's {@code main}. */
    public String currentSchema() {
        String known = currentSchema;
        if (known == null) {
            DSLContext db = dsl.get();
            known = db.dialect() == SQLDialect.SQLITE ? "main" : db.fetchValue(DSL.currentSchema());
            currentSchema = known;
        }
        return known;
    }

    /** Forgets what was read: the next use reads the database again (after a migration of your own, say). */
    public void forget() {
        bySchema.clear();
        currentSchema = null;
    }

    private Map<String, Table<?>> bySchema(String schema) {
        DSLContext db = dsl.get();
        String key = db.dialect() == SQLDialect.SQLITE ? "main" : schema;
        return bySchema.computeIfAbsent(key, s -> read(db, s));
    }

    private static Map<String, Table<?>> read(DSLContext dsl, String schema) {
        Meta meta = dsl.meta();
        List<Table<?>> found;
        if (dsl.dialect() == SQLDialect.SQLITE) {
            found = meta.getTables();
        } else {
            found = meta.getSchemas(schema).stream().filter(s -> s.getName().equals(schema))
                    .findFirst().map(Schema::getTables).orElse(List.of());
        }
        Map<String, Table<?>> byName = new LinkedHashMap<>();
        found.stream().sorted(Comparator.comparing(Table::getName)).forEach(t -> byName.put(t.getName(), t));
        return byName;
    }
}
