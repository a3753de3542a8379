package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqlitePolicyStoreTest extends PolicyStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
