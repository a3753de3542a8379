package astra.core.store;

import astra.core.testing.DatabaseExtension;

class SqliteNoteStoreTest extends NoteStoreContract {
    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }
}
