package astra.core.db;

import astra.core.testing.DatabaseExtension;

class PostgresTaskStoreTest extends TaskStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
