package astra.examples.spectra;

import astra.core.testing.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresVersionBumpTest extends VersionBumpContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }
}
