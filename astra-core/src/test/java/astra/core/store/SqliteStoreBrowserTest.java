package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteStoreBrowserTest extends StoreBrowserContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
