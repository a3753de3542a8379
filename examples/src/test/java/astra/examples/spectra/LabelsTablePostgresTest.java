package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs against {@code $ASTRA_TEST_PG_URL} (default: the local server as user postgres), in a
 * schema of its own that is dropped afterwards; skipped when no server answers.
 */
class LabelsTablePostgresTest extends LabelsTableContract {

    private static final String URL = System.getenv().getOrDefault("ASTRA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("ASTRA_TEST_PG_USER", "postgres");

    private final String schema = "examples_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<Connection> connections = new ArrayList<>();
    private DSLContext db;

    @BeforeEach
    void createSchema() {
        try {
            Connection admin = DriverManager.getConnection(URL + "?connectTimeout=2", USER, null);
            connections.add(admin);
            admin.createStatement().execute("create schema " + schema);
            admin.createStatement().execute("create schema " + schema + "_other");
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL at " + URL + ": " + e.getMessage());
        }
        db = newConnection();
    }

    @Override
    DSLContext db() {
        return db;
    }

    @Test
    void aTableOfTheSameNameInAnotherSchemaIsNotOurs() {
        DSLContext other = connect(schema + "_other");
        LabelsTable.create(other);
        LabelsTable.upsert(other, new Star("dr17", 42, 7), new StellarLabels(5000, 0, 50), "other");

        assertThat(LabelsTable.contains(db(), new Star("dr17", 42, 7))).isFalse();
        LabelsTable.create(db());
        assertThat(db().fetchCount(LabelsTable.TABLE)).isZero();
    }

    @Override
    DSLContext newConnection() {
        return connect(schema);
    }

    private DSLContext connect(String searchPath) {
        try {
            Connection c = DriverManager.getConnection(URL + "?currentSchema=" + searchPath, USER, null);
            connections.add(c);
            return DSL.using(c, SQLDialect.POSTGRES);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (!connections.isEmpty()) {
            connections.get(0).createStatement().execute("drop schema if exists " + schema + " cascade");
            connections.get(0).createStatement().execute("drop schema if exists " + schema + "_other cascade");
        }
        for (Connection c : connections) {
            c.close();
        }
    }
}
