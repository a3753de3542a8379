package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresStoreBrowserTest extends StoreBrowserContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
