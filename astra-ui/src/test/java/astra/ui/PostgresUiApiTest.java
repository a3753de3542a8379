package astra.ui;

import astra.core.testing.DatabaseExtension;

class PostgresUiApiTest extends UiApiContract {
    @Override
    DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
