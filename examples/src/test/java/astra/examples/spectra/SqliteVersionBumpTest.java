package astra.examples.spectra;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteVersionBumpTest extends VersionBumpContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.sqlite();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
