package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteConcurrentRunsTest extends ConcurrentRunsContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
