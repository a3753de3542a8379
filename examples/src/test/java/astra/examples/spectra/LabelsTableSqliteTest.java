package astra.examples.spectra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class LabelsTableSqliteTest extends LabelsTableContract {

    @TempDir
    Path tmp;

    private final List<Connection> connections = new ArrayList<>();
    private DSLContext db;

    @Override
    DSLContext db() {
        if (db == null) {
            db = newConnection();
        }
        return db;
    }

    @Override
    DSLContext newConnection() {
        try {
            // IMMEDIATE, as Astra's own SQLite connections do: concurrent writers then wait instead of failing.
            Connection c = DriverManager.getConnection(
                    "jdbc:sqlite:" + tmp.resolve("results.db") + "?transaction_mode=IMMEDIATE&busy_timeout=10000");
            connections.add(c);
            return DSL.using(c, SQLDialect.SQLITE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
    }
}
