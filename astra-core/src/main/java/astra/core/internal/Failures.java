package astra.core.internal;

import astra.core.db.DatabaseSettings;
import java.sql.SQLException;

/** One-line reasons for failures, from the exceptions that explain them best. */
public final class Failures {

    private Failures() {}

    /**
     * The message of the deepest {@link SQLException} in the chain (the driver's own words, such
     * as "Connection to host:5432 refused"), followed by the root cause when that is something
     * else (an unknown host, a timeout); else the deepest message there is. On one line, with
     * passwords masked.
     */
    public static String reason(Throwable failure) {
        String sqlMessage = null;
        Throwable deepest = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t;
                if (t instanceof SQLException) {
                    sqlMessage = t.getMessage();
                }
            }
        }
        String message;
        if (deepest == null) {
            message = failure.toString();
        } else if (sqlMessage == null) {
            message = deepest.getMessage();
        } else if (deepest instanceof SQLException) {
            message = sqlMessage;
        } else {
            message = sqlMessage + " (" + deepest.getClass().getSimpleName() + ": " + deepest.getMessage() + ")";
        }
        return DatabaseSettings.maskPassword(message.replaceAll("\\s+", " ").strip());
    }
}
