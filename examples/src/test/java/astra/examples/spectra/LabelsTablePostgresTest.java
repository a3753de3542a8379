package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the test PostgreSQL (see {@link TestDatabases}: skipped with a reason when there is none,
 * failing instead under ASTRA_TEST_REQUIRE_PG=1), in schemas of its own dropped afterwards.
 */
class LabelsTablePostgresTest extends LabelsTableContract {

    private final List<Connection> connections = new ArrayList<>();
    private PostgresSchema schema;
    private PostgresSchema otherSchema;
    private DSLContext db;

    @BeforeEach
    void createSchemas() {
        schema = TestDatabases.postgres();
        otherSchema = TestDatabases.postgres();
        db = newConnection();
    }

    @Override
    DSLContext db() {
        return db;
    }

    @Test
    void aTableOfTheSameNameInAnotherSchemaIsNotOurs() {
        DSLContext other = connect(otherSchema);
        LabelsTable.create(other);
        LabelsTable.upsert(other, new Star("dr17", "1.0", 42, 7), new StellarLabels(5000, 0, 50), "other");

        assertThat(LabelsTable.contains(db(), new Star("dr17", "1.0", 42, 7))).isFalse();
        LabelsTable.create(db());
        assertThat(db().fetchCount(LabelsTable.TABLE)).isZero();
    }

    @Override
    DSLContext newConnection() {
        return connect(schema);
    }

    private DSLContext connect(PostgresSchema target) {
        try {
            Connection c = DriverManager.getConnection(target.settings().url());
            connections.add(c);
            return DSL.using(c, SQLDialect.POSTGRES);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        if (schema != null) {
            schema.close();
        }
        if (otherSchema != null) {
            otherSchema.close();
        }
    }
}
