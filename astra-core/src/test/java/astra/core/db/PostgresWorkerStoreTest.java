package astra.core.db;

import astra.core.testing.DatabaseExtension;

class PostgresWorkerStoreTest extends WorkerStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
