package astra.core.testing;

import astra.core.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Counts server connections in {@code pg_stat_activity}, for tests that sample how many
 * connections a run holds at its peak. Astra's own connections carry the application name
 * {@code "astra"}. Other test runs on the same server count too if they use the same database
 * and name: compare with bounds, or use a database of your own.
 */
public final class PgActivity {

    private static final String COUNT = "select count(*) from pg_stat_activity"
            + " where datname = current_database() and application_name = ? and pid <> pg_backend_pid()";

    private PgActivity() {}

    /**
     * Connections to the database {@code url} names whose {@code application_name} is
     * {@code applicationName}, not counting the one this method opens to ask.
     */
    public static int count(String url, String applicationName) {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(COUNT)) {
            s.setString(1, applicationName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the connections of " + DatabaseSettings.maskPassword(url)
                    + ": " + e.getMessage(), e);
        }
    }
}
