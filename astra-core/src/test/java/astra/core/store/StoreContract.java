package astra.core.store;

import astra.core.db.Database;
import astra.core.testing.DatabaseExtension;
import astra.core.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the task store's contracts share: the database of the subclass, opened on a clock the
 * test moves, its store, and one run started. One subclass per database for each contract.
 */
public abstract class StoreContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    /** Which database this subclass tests. */
    protected abstract DatabaseExtension database();

    MutableClock clock;
    Database database;
    TaskStore store;
    long run;

    /** Where the clock starts. */
    Instant start() {
        return Instant.parse("2026-03-04T05:06:07.123456789Z");
    }

    /** The run every test starts with. */
    RunInfo firstRun() {
        return new RunInfo("Root_1", "host", 42, "astra run Root");
    }

    @BeforeEach
    void open() {
        clock = new MutableClock(start());
        database = db.open(clock);
        store = database.store();
        run = store.startRun(firstRun());
    }
}
