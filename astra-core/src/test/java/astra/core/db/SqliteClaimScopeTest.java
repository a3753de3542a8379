package astra.core.db;

import astra.core.testing.DatabaseExtension;

class SqliteClaimScopeTest extends ClaimScopeContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
