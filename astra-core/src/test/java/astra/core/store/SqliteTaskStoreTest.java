package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteTaskStoreTest extends TaskStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
