package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresPolicyStoreTest extends PolicyStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
