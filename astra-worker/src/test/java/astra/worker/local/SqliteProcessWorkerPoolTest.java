package astra.worker.local;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteProcessWorkerPoolTest extends ProcessWorkerPoolContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.sqlite();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
