package astra.core.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.Test;

class SqliteProfilesTest extends ProfilesContract {

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.sqlite();
    }

    @Test
    void sqliteHasNoRolesNorSchemas() {
        try (Database database = Database.open(db.settings())) {
            assertThatThrownBy(() -> database.become("reader"))
                    .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("needs PostgreSQL roles");
            assertThatThrownBy(() -> database.changeVersion("dr17"))
                    .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("needs PostgreSQL schemas");
        }
    }
}
