package astra.bench.synthetic;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class BenchTasksSqliteTest extends BenchTasksContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.sqlite();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
