package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresWorkerStoreTest extends WorkerStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
