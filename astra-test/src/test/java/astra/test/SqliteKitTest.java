package astra.test;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteKitTest extends KitContract {

    @RegisterExtension
    final AstraTestKit astra = AstraTestKit.sqlite();

    @Override
    AstraTestKit astra() {
        return astra;
    }
}
