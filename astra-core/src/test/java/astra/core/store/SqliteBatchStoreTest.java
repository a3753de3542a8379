package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteBatchStoreTest extends BatchStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
