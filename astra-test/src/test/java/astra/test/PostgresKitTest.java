package astra.test;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresKitTest extends KitContract {

    @RegisterExtension
    final AstraTestKit astra = AstraTestKit.postgres();

    @Override
    AstraTestKit astra() {
        return astra;
    }
}
