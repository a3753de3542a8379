package astra.bench.synthetic;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On the test PostgreSQL (skipped with a reason when there is none, failing under ASTRA_TEST_REQUIRE_PG=1). */
class BenchTasksPostgresTest extends BenchTasksContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
