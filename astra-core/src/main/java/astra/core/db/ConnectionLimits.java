package astra.core.db;

import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * What the database server allows: {@code max_connections}, the slots reserved for superusers,
 * and the connections open right now (all databases, all users).
 */
public record ConnectionLimits(int maxConnections, int reservedConnections, int inUse) {

    private static final Table<Record> PG_STAT_ACTIVITY = DSL.table(DSL.name("pg_catalog", "pg_stat_activity"));
    private static final Field<String> BACKEND_TYPE = DSL.field(DSL.name("backend_type"), SQLDataType.VARCHAR);
    private static final Field<Long> DATID = DSL.field(DSL.name("datid"), SQLDataType.BIGINT);

    /** Connections still available to ordinary users. */
    public int available() {
        return Math.max(0, maxConnections - reservedConnections - inUse);
    }

    /** The server's connection limit and use; empty for a database without a server (SQLite). */
    static Optional<ConnectionLimits> read(DSLContext dsl, SQLDialect dialect) {
        if (dialect != SQLDialect.POSTGRES) {
            return Optional.empty();
        }
        Record4<String, String, String, String> settings = dsl.select(setting("max_connections"),
                        setting("superuser_reserved_connections"), setting("reserved_connections"),
                        setting("server_version_num"))
                .fetchSingle();
        Condition clientBackends = number(settings.value4()) < 100_000 ? DSL.noCondition()
                : BACKEND_TYPE.eq(DSL.inline("client backend")).or(BACKEND_TYPE.isNull().and(DATID.isNotNull()));
        int inUse = dsl.fetchCount(PG_STAT_ACTIVITY, clientBackends);
        return Optional.of(new ConnectionLimits(
                number(settings.value1()), number(settings.value2()) + number(settings.value3()), inUse));
    }

    /** A server setting as text; null if this server version has no such setting. */
    private static Field<String> setting(String name) {
        return DSL.function("current_setting", SQLDataType.VARCHAR, DSL.inline(name), DSL.inline(true));
    }

    private static int number(String setting) {
        return setting == null || setting.isBlank() ? 0 : Integer.parseInt(setting.strip());
    }
}
