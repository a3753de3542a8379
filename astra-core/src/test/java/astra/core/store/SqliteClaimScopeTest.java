package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteClaimScopeTest extends ClaimScopeContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
