package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteOperationsStoreTest extends OperationsStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
