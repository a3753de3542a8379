package astra.worker;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresClaimRunRecordTest extends ClaimRunRecordContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
