package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresConcurrentRunsTest extends ConcurrentRunsContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
