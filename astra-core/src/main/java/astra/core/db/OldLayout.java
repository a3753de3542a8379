package astra.core.db;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL layout of Astra before {@code [database] schema}: its tables and their history
 * in the connection's current schema (usually {@code public}), beside the user's. Found there, they
 * are moved into the configured schema once, whole (rows, indexes, constraints and identity
 * sequences go with their tables), before the migrations run; the user's tables stay where they are.
 */
final class OldLayout {

    private static final Logger log = LoggerFactory.getLogger(OldLayout.class);

    /** Every table a migration of Astra's ever created, and the history. A test keeps it in step with the files. */
    static final List<String> TABLES = List.of("astra_run", "astra_task", "astra_edge", "astra_event", "astra_worker",
            "astra_resource", "astra_task_resource", "astra_disabled_family", Migrations.HISTORY_TABLE);

    /** Serializes movers across processes: "astraMOV" in ASCII. */
    private static final long LOCK_KEY = 0x617374_72614d4f56L;

    private OldLayout() {}

    /**
     * Moves Astra's tables from the current schema into {@code settings.schema()} when they are
     * there and the configured schema has no history yet; otherwise does nothing.
     *
     * @return the schema they were moved from, or null when nothing moved
     */
    static String moveIfThere(DatabaseSettings settings, DataSource fresh) {
        String to = settings.schema();
        try (Connection c = fresh.getConnection()) {
            DSLContext db = DSL.using(c, SQLDialect.POSTGRES);
            String from = db.select(DSL.currentSchema()).fetchOne(0, String.class);
            if (from == null || from.equals(to) || !hasTable(db, from, Migrations.HISTORY_TABLE)) {
                return null;
            }
            List<String> moved = db.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                tx.execute("select pg_advisory_xact_lock(?)", LOCK_KEY);
                List<String> tables = new ArrayList<>();
                // Again under the lock: another process may have moved them meanwhile.
                if (!hasTable(tx, from, Migrations.HISTORY_TABLE) || hasTable(tx, to, Migrations.HISTORY_TABLE)) {
                    return tables;
                }
                tx.createSchemaIfNotExists(name(to)).execute();
                for (String t : TABLES) {
                    if (hasTable(tx, from, t)) {
                        tx.execute("alter table {0} set schema {1}", table(name(from, t)), name(to));
                        tables.add(t);
                    }
                }
                return tables;
            });
            if (moved.isEmpty()) {
                return null;
            }
            log.info("moved Astra's {} tables from the schema {} to {} ([database] schema), where they live from now on",
                    moved.size(), from, to);
            return from;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for Astra's tables of an earlier version: " + e.getMessage(), e);
        }
    }

    private static boolean hasTable(DSLContext db, String schema, String tableName) {
        return db.fetchExists(DSL.selectOne().from(table(name("information_schema", "tables")))
                .where(field(name("table_schema"), String.class).eq(schema))
                .and(field(name("table_name"), String.class).eq(tableName)));
    }
}
