package astra.scheduler;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresPolicyTest extends PolicyContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
