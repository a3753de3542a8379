package astra.scheduler;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAttemptLogsTest extends AttemptLogsContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
