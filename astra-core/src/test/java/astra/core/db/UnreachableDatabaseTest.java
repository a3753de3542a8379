package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing listens on port 1: opening fails at once, with the driver's reason and no password. */
class UnreachableDatabaseTest {

    @ParameterizedTest(name = "pooling {0}")
    @ValueSource(booleans = {true, false})
    void aRefusedConnectionIsDatabaseUnavailableWithACleanMessage(boolean pooling) {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/test?password=hunter2", "postgres", pooling, 2, Duration.ofSeconds(2));

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(AstraException.DatabaseUnavailable.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/test?password=*** as postgres:"
                        + " Connection to 127.0.0.1:1 refused")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\tat ", "PoolInitialization"));
    }
}
