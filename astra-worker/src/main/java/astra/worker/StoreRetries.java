package astra.worker;

import astra.core.AstraException;
import astra.core.db.DatabaseOutage;
import java.util.function.Supplier;

/**
 * Calls the task store again while the database is away (a restart, a dropped connection), so
 * that a task that ran is still recorded, once, when the database is back: the process's
 * {@link DatabaseOutage} decides for how long. Gives up after that with
 * {@link AstraException.DatabaseUnavailable}: the claim then stays in the database, and the next
 * run hands it back. Remembers whether a call met an outage, since a call that failed may still
 * have committed (its reply lost with the connection).
 */
final class StoreRetries {

    private final DatabaseOutage outage;
    private boolean retried;

    StoreRetries(DatabaseOutage outage) {
        this.outage = outage;
    }

    /**
     * Whether the last {@link #call} (or a store call inside it, or another thread's, meanwhile)
     * met an outage.
     */
    boolean lastCallRetried() {
        return retried;
    }

    <T> T call(String what, Supplier<T> call) throws InterruptedException {
        long before = outage.failures();
        try {
            return outage.call(what, call);
        } finally {
            retried = outage.failures() != before;
        }
    }
}
