package astra.core.db;

import astra.core.testing.DatabaseExtension;

class SqlitePolicyStoreTest extends PolicyStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
