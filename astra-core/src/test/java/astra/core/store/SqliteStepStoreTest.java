package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteStepStoreTest extends StepStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
