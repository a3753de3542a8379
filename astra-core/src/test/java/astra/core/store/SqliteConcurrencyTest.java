package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteConcurrencyTest extends ConcurrencyContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
