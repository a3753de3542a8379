package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresBatchStoreTest extends BatchStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
