package astra.scheduler;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteAttemptLogsTest extends AttemptLogsContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.sqlite();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
