package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteWorkerStoreTest extends WorkerStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
