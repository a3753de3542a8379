package astra.core.db;

import astra.core.testing.DatabaseExtension;

class PostgresPolicyStoreTest extends PolicyStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
