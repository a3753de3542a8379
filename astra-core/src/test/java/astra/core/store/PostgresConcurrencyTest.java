package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresConcurrencyTest extends ConcurrencyContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
