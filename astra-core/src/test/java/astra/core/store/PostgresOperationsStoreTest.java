package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresOperationsStoreTest extends OperationsStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
