package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresStepStoreTest extends StepStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
