package astra.worker;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteClaimRunRecordTest extends ClaimRunRecordContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.sqlite();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
