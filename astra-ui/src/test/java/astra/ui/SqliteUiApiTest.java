package astra.ui;

import astra.core.testing.DatabaseExtension;

class SqliteUiApiTest extends UiApiContract {
    @Override
    DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
