package astra.core.db;

import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [database] echo}: logs each statement the database's jOOQ runs, with its bind values
 * written in (Python Astra's {@code echo=True}), to the logger {@code astra.sql} at INFO. Statements
 * never carry a password: passwords come from the password file, at connect time.
 */
final class SqlEcho implements ExecuteListener {

    private static final Logger log = LoggerFactory.getLogger("astra.sql");

    @Override
    public void executeStart(ExecuteContext ctx) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String sql = ctx.query() != null ? ctx.dsl().renderInlined(ctx.query())
                : ctx.batchQueries().length > 1 ? ctx.batchQueries().length + " statements in a batch, the first: "
                        + ctx.dsl().renderInlined(ctx.batchQueries()[0])
                : ctx.sql();
        log.info("SQL: {}", sql);
    }
}
