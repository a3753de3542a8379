package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresClaimScopeTest extends ClaimScopeContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
