package astra.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.db.ConnectionLimits;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    final ConnectionBudget eightWorkers = new ConnectionBudget(4, 8, 16);

    @Test
    void aRunThatFitsStartsAndSaysWhatItHolds() {
        Optional<ConnectionLimits> server = Optional.of(new ConnectionLimits(100, 3, 7));

        eightWorkers.check(server);

        assertThat(eightWorkers.total()).isEqualTo(20);
        assertThat(eightWorkers.describe(server)).isEqualTo("connection budget: 20 (scheduler 4 + 8 worker(s) holding 16);"
                + " server max_connections 100, 3 reserved, 7 in use");
    }

    @Test
    void aRunThatCouldExhaustTheServerRefusesToStartSayingWhatToLower() {
        // 20 - 3 reserved - 2 in use leaves 15; the run needs 19 more (one scheduler connection is open).
        Optional<ConnectionLimits> server = Optional.of(new ConnectionLimits(20, 3, 2));

        AstraException.BadInput e = assertThrows(AstraException.BadInput.class, () -> eightWorkers.check(server));

        assertThat(e.getMessage()).contains("refusing to start").contains("8 worker(s)").contains("15 left")
                .contains("--workers").contains("[worker] pool_size");
    }

    @Test
    void exactlyFullStillFits() {
        new ConnectionBudget(4, 8, 16).check(Optional.of(new ConnectionLimits(24, 3, 2)));
    }

    @Test
    void withoutAServerLimitThereIsNothingToCheck() {
        new ConnectionBudget(4, 1000, 2000).check(Optional.empty());
        assertThat(new ConnectionBudget(4, 1, 2).describe(Optional.empty()))
                .isEqualTo("connection budget: 6 (scheduler 4 + 1 worker(s) holding 2)");
    }
}
