package astra.core.store;

import astra.core.testing.DatabaseExtension;

class PostgresNoteStoreTest extends NoteStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }
}
